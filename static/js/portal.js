/* OneSeal portal: small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";

  // Login page: a demo user's name fills the form (demo environments only).
  document.addEventListener("click", function (event) {
    var fill = event.target.closest("[data-fill-username]");
    if (fill) {
      var user = document.getElementById("id_username");
      var pass = document.getElementById("id_password");
      if (user) user.value = fill.getAttribute("data-fill-username");
      if (pass && fill.hasAttribute("data-fill-password")) {
        pass.value = fill.getAttribute("data-fill-password");
      }
      var submit = document.querySelector("#login-form [type=submit]");
      (submit || user).focus();
      return;
    }
    if (event.target.closest("[data-print]")) {
      window.print();
      return;
    }
    // Tables: a click anywhere on a row with data-href opens it (the row's link stays the
    // keyboard path); clicks on links, buttons and selected text are left alone.
    var row = event.target.closest("tr[data-href]");
    if (row && !event.target.closest("a, button, input, select, textarea, label") &&
        !String(window.getSelection() || "")) {
      if (event.ctrlKey || event.metaKey) window.open(row.getAttribute("data-href"));
      else window.location.href = row.getAttribute("data-href");
    }
  });

  // Forms that ask before they post: <form data-confirm="...">.
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
  });

  // Counter keyboard shortcut: "/" jumps to the list filter (not while typing).
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var tag = (document.activeElement && document.activeElement.tagName) || "";
    if (/^(INPUT|TEXTAREA|SELECT)$/.test(tag)) return;
    var filter = document.getElementById("status-filter");
    if (filter) { event.preventDefault(); filter.focus(); }
  });
})();
