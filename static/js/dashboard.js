/* Officials' dashboard: draws the Chart.js charts from the JSON the server put in
 * #dashboard-data and makes tables marked data-sortable sortable by column.
 * Every chart has its figures in a table next to it, so nothing depends on this script. */
(function () {
  "use strict";

  var COLORS = ["#b3261e", "#0a4fb4", "#1b7f3b", "#a15c00", "#6a3fb3", "#00788a", "#c2185b", "#5d6d00", "#7a4a2a", "#495057"];
  var locale = document.documentElement.lang || "id";
  var numberFormat = new Intl.NumberFormat(locale);

  function el(id) {
    return document.getElementById(id);
  }

  function makeChart(name, config) {
    var canvas = el("chart-" + name);
    if (!canvas) {
      return null;
    }
    config.options = Object.assign(
      {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        locale: locale,
      },
      config.options || {}
    );
    return new window.Chart(canvas, config);
  }

  function barOptions(horizontal) {
    var valueAxis = { beginAtZero: true, ticks: { callback: function (v) { return numberFormat.format(v); } } };
    return horizontal
      ? { indexAxis: "y", scales: { x: valueAxis }, plugins: { legend: { display: false } } }
      : { scales: { y: valueAxis }, plugins: { legend: { display: false } } };
  }

  /* `data` is reports.snapshot.ChartData, built by reports.selectors.chart_data; the names
   * below (labels, gauge, series, kota, funnel, breakdown) hold its parts, and every key read
   * from them is declared there (reports/tests/test_snapshot.py checks this file against it). */
  function drawCharts(data) {
    var labels = data.labels;
    var gauge = data.gauge;
    var series = data.cumulative;
    var kota = data.kota;
    var funnel = data.funnel;

    if (gauge.target) {
      var remaining = Math.max(gauge.target - gauge.value, 0);
      makeChart("gauge", {
        type: "doughnut",
        data: {
          labels: [labels.registered, gauge.remaining_label || labels.remaining],
          datasets: [{ data: [gauge.value, remaining], backgroundColor: [COLORS[2], "#dee2e6"] }],
        },
        options: { rotation: -90, circumference: 180, cutout: "65%", plugins: { legend: { position: "bottom" } } },
      });
    } else {
      makeChart("gauge", {
        type: "doughnut",
        data: { labels: [labels.registered], datasets: [{ data: [gauge.value], backgroundColor: [COLORS[2]] }] },
        options: { rotation: -90, circumference: 180, cutout: "65%" },
      });
    }

    var datasets = [
      { label: labels.registered, data: series.actual, borderColor: COLORS[0], backgroundColor: COLORS[0], pointRadius: 0, spanGaps: false },
      { label: labels.projection, data: series.projection, borderColor: COLORS[1], borderDash: [6, 4], pointRadius: 0, spanGaps: false },
    ];
    if (series.target) {
      datasets.push({
        label: labels.target,
        data: series.months.map(function () { return series.target; }),
        borderColor: COLORS[3],
        borderDash: [2, 2],
        pointRadius: 0,
      });
    }
    makeChart("cumulative", {
      type: "line",
      data: { labels: series.months, datasets: datasets },
      options: {
        interaction: { mode: "index", intersect: false },
        scales: { y: { beginAtZero: true, ticks: { callback: function (v) { return numberFormat.format(v); } } } },
      },
    });

    makeChart("kota", {
      type: "bar",
      data: {
        labels: kota.labels,
        datasets: [{
          label: labels.registered,
          data: kota.values,
          backgroundColor: kota.labels.map(function (name) {
            return !kota.selected || name === kota.selected ? COLORS[0] : "#adb5bd";
          }),
        }],
      },
      options: barOptions(true),
    });

    makeChart("funnel", {
      type: "bar",
      data: {
        labels: funnel.labels,
        datasets: [
          { label: labels.reached, data: funnel.reached, backgroundColor: COLORS[1] },
          { label: labels.completed, data: funnel.completed, backgroundColor: COLORS[2] },
        ],
      },
      options: Object.assign(barOptions(true), { plugins: { legend: { display: true, position: "bottom" } } }),
    });

    /* Each breakdown is drawn on the canvas of its name, in the style the server chose. */
    Object.keys(data.breakdowns).forEach(function (name) {
      var breakdown = data.breakdowns[name];
      if (breakdown.style === "doughnut") {
        makeChart(name, {
          type: "doughnut",
          data: { labels: breakdown.labels, datasets: [{ data: breakdown.values, backgroundColor: COLORS }] },
          options: { plugins: { legend: { position: "bottom" } } },
        });
      } else {
        makeChart(name, {
          type: "bar",
          data: { labels: breakdown.labels, datasets: [{ label: labels.entrepreneurs, data: breakdown.values, backgroundColor: COLORS[4] }] },
          options: barOptions(breakdown.style === "hbar"),
        });
      }
    });
  }

  /* Sorting: each column heading becomes a button; numbers sort by data-sort-value. */
  function cellValue(row, index) {
    var cell = row.children[index];
    var raw = cell.getAttribute("data-sort-value");
    if (raw !== null && raw !== "" && !isNaN(Number(raw))) {
      return Number(raw);
    }
    return cell.textContent.trim().toLowerCase();
  }

  function makeSortable(table) {
    var headers = table.querySelectorAll("thead th");
    headers.forEach(function (header, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      button.textContent = header.textContent;
      header.textContent = "";
      header.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = header.getAttribute("aria-sort") !== "ascending";
        headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
        header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a, index);
          var y = cellValue(b, index);
          if (x === y) { return 0; }
          if (typeof x === "number" && typeof y === "number") { return ascending ? x - y : y - x; }
          return ascending ? String(x).localeCompare(String(y), locale) : String(y).localeCompare(String(x), locale);
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  function init() {
    document.querySelectorAll("table[data-sortable]").forEach(makeSortable);
    var source = el("dashboard-data");
    if (source && window.Chart) {
      drawCharts(JSON.parse(source.textContent));
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
