// The back office's one script. Without it every page still works: the menu stays open and
// complaints are chosen one by one.
(function () {
  "use strict";
  // "Choose every complaint on this page": shown only when it can work.
  var all = document.querySelector("[data-select-all]");
  if (all) {
    all.hidden = false;
    all.addEventListener("change", function () {
      document.querySelectorAll("input[name='bulk-selected']").forEach(function (box) {
        box.checked = all.checked;
      });
    });
  }
  // The menu folds behind a button on a narrow screen.
  var toggle = document.querySelector("[data-menu-toggle]");
  var menu = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
  if (toggle && menu) {
    toggle.hidden = false;
    menu.classList.add("foldable");
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", open ? "false" : "true");
      menu.classList.toggle("open", !open);
    });
  }
})();
