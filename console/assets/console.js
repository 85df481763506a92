// Keyboard shortcuts for the review console. Everything works without this file: shortcuts
// only click the buttons and follow the links that carry a data-key attribute, so a decision
// made by keyboard is the same form post as one made with the mouse. Keys are ignored while
// typing in a field; Escape leaves the field.
(function () {
  "use strict";
  document.documentElement.setAttribute("data-js", "on");

  function typing(el) {
    if (!el) {
      return false;
    }
    var tag = el.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
  }

  // moveRow focuses the next (step 1) or previous (step -1) row link of the queue.
  function moveRow(step) {
    var rows = Array.prototype.slice.call(document.querySelectorAll("a[data-row]"));
    if (rows.length === 0) {
      return false;
    }
    var i = rows.indexOf(document.activeElement);
    i = i < 0 ? (step > 0 ? 0 : rows.length - 1) : Math.min(rows.length - 1, Math.max(0, i + step));
    rows[i].focus();
    rows[i].scrollIntoView({ block: "nearest" });
    return true;
  }

  document.addEventListener("keydown", function (e) {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.isComposing) {
      return;
    }
    var active = document.activeElement;
    if (typing(active)) {
      if (e.key === "Escape") {
        active.blur();
      }
      return;
    }
    if (e.key === "?") {
      var help = document.getElementById("shortcuts");
      if (help) {
        help.open = !help.open;
        e.preventDefault();
      }
      return;
    }
    if ((e.key === "j" || e.key === "k") && moveRow(e.key === "j" ? 1 : -1)) {
      e.preventDefault();
      return;
    }
    var target = null;
    var all = document.querySelectorAll("[data-key]");
    for (var i = 0; i < all.length; i++) {
      if (all[i].getAttribute("data-key") === e.key) {
        target = all[i];
        break;
      }
    }
    if (!target || target.disabled) {
      return;
    }
    e.preventDefault();
    if (target.tagName === "TEXTAREA" || target.tagName === "INPUT") {
      target.focus();
    } else {
      target.click();
    }
  });
})();
