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

/* Intake pages (portal/intake): progressive enhancements only. */
(function () {
  "use strict";
  // With JS, the per-material "上传" fallback buttons hide: choosing a file uploads it (htmx).
  document.documentElement.classList.add("js");

  // <button data-once>: after the form really submits, the button is disabled so a double
  // click does not post twice (the server is idempotent anyway). Runs after data-confirm.
  document.addEventListener("submit", function (event) {
    if (event.defaultPrevented) return;
    var button = event.submitter;
    if (button && button.hasAttribute("data-once")) {
      window.setTimeout(function () {
        button.disabled = true;
        button.setAttribute("aria-busy", "true");
      }, 0);
    }
  });
  // Coming back through the browser history must not leave the buttons disabled.
  window.addEventListener("pageshow", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-once][disabled]"), function (b) {
      b.disabled = false;
      b.removeAttribute("aria-busy");
    });
  });
})();

/* While a material uploads (htmx, on file choice), the form's submit buttons wait: posting
   the form now would send the same file a second time. */
(function () {
  "use strict";
  function buttons(elt) {
    var form = elt && elt.closest ? elt.closest("form") : null;
    return form ? form.querySelectorAll("button[type=submit], input[type=submit]") : [];
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail && event.detail.elt;
    if (!elt || elt.type !== "file") return;
    Array.prototype.forEach.call(buttons(elt), function (b) {
      b.disabled = true;
      b.setAttribute("data-upload-wait", "");
    });
  });
  document.addEventListener("htmx:afterRequest", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-upload-wait]"), function (b) {
      b.disabled = false;
      b.removeAttribute("data-upload-wait");
    });
  });
})();
