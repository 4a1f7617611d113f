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
