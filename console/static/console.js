// skillcert console: the little JavaScript the pages use.
// - a form or button with data-confirm asks before submitting;
// - a checkbox with data-check-all="name" ticks every checkbox of that name;
// - a table wider than the screen (phones) scrolls and can be reached by keyboard.
(function () {
  "use strict";
  document.addEventListener("submit", function (e) {
    var form = e.target;
    var btn = e.submitter;
    var msg = (btn && btn.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) {
      e.preventDefault();
    }
  });
  document.addEventListener("click", function (e) {
    var t = e.target;
    if (t && t.closest && t.closest("[data-print]")) window.print();
  });
  document.addEventListener("change", function (e) {
    var box = e.target;
    var name = box.getAttribute && box.getAttribute("data-check-all");
    if (!name) return;
    var boxes = document.querySelectorAll('input[type=checkbox][name="' + name + '"]');
    for (var i = 0; i < boxes.length; i++) boxes[i].checked = box.checked;
  });
  function scrollables() {
    var tables = document.querySelectorAll("main table");
    for (var i = 0; i < tables.length; i++) {
      var t = tables[i];
      if (t.scrollWidth > t.clientWidth + 1) {
        t.setAttribute("tabindex", "0");
        if (!t.getAttribute("aria-label")) {
          var h = document.querySelector("main h1");
          t.setAttribute("aria-label", (h ? h.textContent.trim() : "表格") + "（可左右滚动）");
        }
      } else if (t.getAttribute("tabindex") === "0") {
        t.removeAttribute("tabindex");
      }
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", scrollables);
  } else {
    scrollables();
  }
  window.addEventListener("resize", scrollables);
})();
