{% load i18n %}(function () {
  "use strict";
  var url = "{{ url|escapejs }}", label = "{{ label|escapejs }}";
  var button = document.createElement("button");
  button.type = "button";
  button.textContent = label;
  button.setAttribute("aria-expanded", "false");
  button.style.cssText = "position:fixed;right:16px;bottom:16px;z-index:2147483000;padding:12px 16px;border:0;border-radius:24px;background:#b91c1c;color:#fff;font:600 16px/1.2 sans-serif;box-shadow:0 2px 8px rgba(0,0,0,.3);cursor:pointer";
  var frame = null;
  button.addEventListener("click", function () {
    if (!frame) {
      frame = document.createElement("iframe");
      frame.src = url;
      frame.title = label;
      frame.style.cssText = "position:fixed;right:16px;bottom:72px;z-index:2147483000;width:min(380px,calc(100vw - 32px));height:min(560px,calc(100vh - 96px));border:1px solid #ccc;border-radius:12px;background:#fff;box-shadow:0 4px 16px rgba(0,0,0,.3)";
      document.body.appendChild(frame);
    } else {
      frame.hidden = !frame.hidden;
    }
    button.setAttribute("aria-expanded", String(!frame.hidden));
  });
  document.body.appendChild(button);
})();
