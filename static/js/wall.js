/* The wall screen (templates/dashboards/wall.html): fetch the figures every minute and put
   them in place. If the app cannot be reached the last figures stay, marked as stale; after
   a run of failures the page reloads itself, as it would without JavaScript. */
(function () {
  "use strict";
  var body = document.getElementById("wall");
  if (!body || !window.fetch) {
    return;
  }
  var source = body.getAttribute("data-source");
  var seconds = parseInt(body.getAttribute("data-refresh"), 10) || 60;
  var failures = 0;
  var stale = document.getElementById("wall-stale");

  function setText(key, value) {
    var nodes = document.querySelectorAll('[data-wall="' + key + '"]');
    for (var i = 0; i < nodes.length; i += 1) {
      nodes[i].textContent = value;
    }
  }

  function showOverdue(rows) {
    var list = document.getElementById("wall-overdue-list");
    if (!list) {
      return;
    }
    while (list.firstChild) {
      list.removeChild(list.firstChild);
    }
    if (!rows.length) {
      var empty = document.createElement("li");
      empty.className = "wall-empty";
      empty.textContent = list.getAttribute("data-empty");
      list.appendChild(empty);
      return;
    }
    rows.forEach(function (row) {
      var item = document.createElement("li");
      var name = document.createElement("span");
      var count = document.createElement("strong");
      name.textContent = row.unit;
      count.textContent = row.count;
      item.appendChild(name);
      item.appendChild(count);
      list.appendChild(item);
    });
  }

  function showCharts(charts) {
    var parser = new DOMParser();
    Object.keys(charts).forEach(function (key) {
      var holder = document.querySelector('[data-chart="' + key + '"]');
      if (!holder) {
        return;
      }
      // The SVG is drawn by the server (core/charts.py); parsed, never run as script.
      var svg = parser.parseFromString(charts[key], "image/svg+xml").documentElement;
      if (svg && svg.nodeName.toLowerCase() === "svg") {
        holder.replaceChildren(document.importNode(svg, true));
      }
    });
  }

  function show(data) {
    Object.keys(data.figures).forEach(function (key) {
      setText(key, data.figures[key]);
    });
    setText("updated_at", data.updated_at);
    showOverdue(data.overdue);
    showCharts(data.charts);
    body.setAttribute("data-updated", data.updated_at);
  }

  function refresh() {
    fetch(source, { cache: "no-store", credentials: "omit" })
      .then(function (response) {
        if (response.status === 404) {
          window.location.reload(); // revoked: the page itself says so
          return null;
        }
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (data) {
        if (data) {
          show(data);
          failures = 0;
          if (stale) { stale.hidden = true; }
        }
      })
      .catch(function () {
        failures += 1;
        if (stale) { stale.hidden = false; }
        if (failures >= 10) {
          window.location.reload();
        }
      });
  }

  window.setInterval(refresh, seconds * 1000);
})();
