// The desk's library pickers (the cover image, images in the text). No inline script: the
// page's buttons carry data- attributes and this file, served by Lantoa, listens for them.
(function () {
  "use strict";

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // The list is the library's picker (media:pick): each <li data-asset-id> carries the
  // asset's title and the addresses of its renditions (data-web-url, data-thumb-url).
  function load(picker, query) {
    var results = picker.querySelector("[data-library-results]");
    var list = results.querySelector("[data-library-list]");
    var url = picker.getAttribute("data-picker-url") || "";
    var unit = document.querySelector("form.item-form [name='unit']");
    var sep = url.indexOf("?") === -1 ? "?" : "&";
    if (unit && unit.value && url.indexOf("unit=") === -1) {
      url += sep + "unit=" + encodeURIComponent(unit.value);
      sep = "&";
    }
    if (query) url += sep + "q=" + encodeURIComponent(query);
    fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (html) {
        list.innerHTML = html;
        results.hidden = false;
      });
  }

  var timer = null;
  document.addEventListener("click", function (event) {
    var open = event.target.closest("[data-open-library]");
    if (open) {
      var picker = open.closest("[data-library-picker]");
      picker.setAttribute("data-target", open.getAttribute("data-open-library"));
      var results = picker.querySelector("[data-library-results]");
      if (!results.hidden) { results.hidden = true; return; }
      load(picker);
      return;
    }
    var choice = event.target.closest("[data-library-list] [data-asset-id]");
    if (!choice) return;
    var host = choice.closest("[data-library-picker]");
    var target = host.getAttribute("data-target");
    if (target === "body") {
      var textarea = document.querySelector("textarea[data-lantoa-prose]");
      var editor = textarea && textarea.lantoaEditor;
      var title = choice.getAttribute("data-title") || "";
      var src = choice.getAttribute("data-web-url") || choice.getAttribute("data-file-url");
      var html = '<figure><img src="' + escapeHtml(src) +
        '" alt="' + escapeHtml(title) + '"><figcaption>' + escapeHtml(title) + "</figcaption></figure>";
      if (editor) {
        editor.chain().focus().insertContent(html).run();
      } else if (textarea) {
        textarea.value += html;
      }
    } else {
      var input = document.getElementById(target);
      if (input) input.value = choice.getAttribute("data-asset-id");
      var preview = host.querySelector("[data-asset-preview]");
      if (preview) {
        preview.src = choice.getAttribute("data-thumb-url") || "";
        preview.hidden = false;
      }
    }
    host.querySelector("[data-library-results]").hidden = true;
  });

  document.addEventListener("input", function (event) {
    var search = event.target.closest("[data-library-search]");
    if (!search) return;
    var picker = search.closest("[data-library-picker]");
    clearTimeout(timer);
    timer = setTimeout(function () { load(picker, search.value); }, 300);
  });

  // The document number and date belong to a directive document: shown for that kind only
  // (without JavaScript they are always there, and the server ignores them for other kinds).
  function directiveFields() {
    var kind = document.querySelector("select[name='kind']");
    if (!kind) return;
    ["document_number", "document_date"].forEach(function (name) {
      var input = document.querySelector("[name='" + name + "']");
      var field = input && input.closest(".field");
      if (field) field.hidden = kind.value !== "directive";
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches("select[name='kind']")) directiveFields();
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", directiveFields);
  } else {
    directiveFields();
  }

  // A search box inside the picker never submits the item's form.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.closest("[data-library-search]")) {
      event.preventDefault();
    }
  });
})();
