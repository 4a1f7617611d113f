// Live hints on judgemental wording in a record form, and the late-record warning.
// The same rules as casework/cases/wording.py: substring match, case-folded, a rule's
// exception phrases blanked out first, longer words first. Hints never block saving;
// closing one hides it until the text changes.
(function () {
  "use strict";
  var holder = document.getElementById("wording-rules");
  var form = document.querySelector("form[data-wording-form]");
  if (!holder || !form) return;
  var rules = [];
  try { rules = JSON.parse(holder.dataset.rules || "[]"); } catch (e) { rules = []; }

  function blank(text, phrase) {
    return phrase ? text.split(phrase).join("\u0000".repeat(phrase.length)) : text;
  }

  function find(text) {
    var remaining = text.toLowerCase();
    var found = [];
    rules.forEach(function (rule) {
      var scanned = remaining;
      (rule.exceptions || []).forEach(function (p) { scanned = blank(scanned, p); });
      if (scanned.indexOf(rule.word) !== -1) {
        found.push(rule);
        remaining = blank(remaining, rule.word);
      }
    });
    return found;
  }

  function show(area) {
    var box = area.parentNode.querySelector(".wording-live");
    var found = find(area.value);
    var key = found.map(function (r) { return r.word; }).join("|");
    if (!box) {
      box = document.createElement("div");
      box.className = "wording-live alert alert-info small py-2 mt-1 mb-0";
      box.setAttribute("role", "note");
      area.parentNode.appendChild(box);
    }
    if (!found.length || box.dataset.closed === key) {
      box.hidden = true;
      return;
    }
    box.textContent = "";
    var title = document.createElement("div");
    title.className = "fw-semibold d-flex justify-content-between gap-2";
    title.appendChild(document.createTextNode(holder.dataset.title));
    var close = document.createElement("button");
    close.type = "button";
    close.className = "btn-close";
    close.setAttribute("aria-label", holder.dataset.close);
    close.addEventListener("click", function () { box.dataset.closed = key; box.hidden = true; });
    title.appendChild(close);
    box.appendChild(title);
    var list = document.createElement("ul");
    list.className = "mb-0 ps-3";
    found.forEach(function (rule) {
      var item = document.createElement("li");
      item.textContent = "\u201c" + rule.word + "\u201d \u2014 " + rule.suggestion;
      list.appendChild(item);
    });
    box.appendChild(list);
    box.hidden = false;
  }

  if (rules.length) {
    form.querySelectorAll("textarea").forEach(function (area) {
      area.addEventListener("input", function () { show(area); });
      if (area.value) show(area);
    });
  }

  var warning = document.getElementById("late-warning");
  var served = form.querySelector("input[name='served_on']");
  if (warning && served) {
    served.addEventListener("change", function () {
      var late = served.value && served.value < warning.dataset.onTimeFrom;
      warning.classList.toggle("d-none", !late);
    });
  }
})();
