/* Small behaviours for staff pages; every page works without them. */
"use strict";

/* A form with data-confirm asks first, naming what it acts on ("确认批准个案 … 的服务计划？"). */
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form && form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

/* A table wider than its box scrolls inside it: keyboard users reach the box with Tab and
   scroll it with the arrow keys, and screen readers hear which table it holds. */
function markScrollingTables() {
  document.querySelectorAll(".table-responsive").forEach(function (box) {
    if (box.scrollWidth > box.clientWidth + 1) {
      var table = box.querySelector("table");
      var caption = table && table.caption ? table.caption.textContent.trim() : "";
      var heading = box.previousElementSibling;
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", caption || (heading ? heading.textContent.trim() : "") || document.title);
    } else if (box.getAttribute("role") === "region") {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
  });
}
document.addEventListener("DOMContentLoaded", markScrollingTables);
window.addEventListener("resize", markScrollingTables);

/* A form sent back with errors opens on its error summary, which links to each field. */
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
});

/* Status messages are announced: their text goes into the page's empty live regions a
   moment after it opens (a region filled before it is noticed is not read out). */
document.addEventListener("DOMContentLoaded", function () {
  var messages = document.querySelectorAll("[data-flash]");
  if (!messages.length) {
    return;
  }
  window.setTimeout(function () {
    messages.forEach(function (message) {
      var kind = message.getAttribute("data-flash") === "alert" ? "live-alert" : "live-status";
      var region = document.getElementById(kind);
      if (region) {
        var line = document.createElement("p");
        line.textContent = message.textContent.trim();
        region.appendChild(line);
      }
    });
  }, 500);
});
