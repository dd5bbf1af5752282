/* The NQ57 section of a unit, shown in a frame where this script's tag stands. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.parentNode) { return; }
  var height = parseInt(script.getAttribute("data-height") || "480", 10);
  if (!(height >= 200 && height <= 2000)) { height = 480; }
  var frame = document.createElement("iframe");
  frame.src = "{{ url|escapejs }}";
  frame.title = "{{ title|escapejs }}";
  frame.loading = "lazy";
  frame.style.width = "100%";
  frame.style.maxWidth = "100%";
  frame.style.height = height + "px";
  frame.style.border = "0";
  script.parentNode.insertBefore(frame, script.nextSibling);
}());
