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

    if (gauge.passed && gauge.scale) {
      /* Past the target the arc runs to the next milestone: the target, what lies beyond it,
       * and what is left to the milestone, so 490 % does not look like a plain full arc. */
      makeChart("gauge", {
        type: "doughnut",
        data: {
          labels: [labels.target, gauge.beyond_label, gauge.milestone_label],
          datasets: [{
            data: [gauge.target, Math.max(gauge.value - gauge.target, 0), Math.max(gauge.scale - gauge.value, 0)],
            backgroundColor: [COLORS[2], "#7fc49a", "#dee2e6"],
          }],
        },
        options: { rotation: -90, circumference: 180, cutout: "65%", plugins: { legend: { position: "bottom" } } },
      });
    } else if (gauge.target) {
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

  /* Sorting: each column heading becomes a button (keyboard: Tab and Enter or Space); the
   * heading says its order in aria-sort; numbers sort by data-sort-value, empty ones last. */
  function cellValue(row, index) {
    var cell = row.children[index];
    var raw = cell.getAttribute("data-sort-value");
    if (raw === "") {
      return null;
    }
    if (raw !== null && !isNaN(Number(raw))) {
      return Number(raw);
    }
    return (raw !== null ? raw : cell.textContent).trim().toLowerCase();
  }

  function compare(x, y, ascending) {
    if (x === y) { return 0; }
    if (x === null) { return 1; }
    if (y === null) { return -1; }
    var order = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y), locale);
    return ascending ? order : -order;
  }

  function dataRows(table) {
    return Array.prototype.filter.call(table.tBodies[0].rows, function (row) {
      return !row.classList.contains("no-rows");
    });
  }

  function sortBy(table, index, ascending) {
    var headers = table.querySelectorAll("thead th");
    headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
    headers[index].setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = dataRows(table);
    rows.sort(function (a, b) { return compare(cellValue(a, index), cellValue(b, index), ascending); });
    rows.forEach(function (row) { body.appendChild(row); });
    var empty = body.querySelector(".no-rows");
    if (empty) { body.appendChild(empty); }
  }

  function makeSortable(table, onSort) {
    var headers = table.querySelectorAll("thead th");
    headers.forEach(function (header, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      while (header.firstChild) { button.appendChild(header.firstChild); }  // keeps <abbr> titles
      header.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = header.getAttribute("aria-sort") !== "ascending";
        sortBy(table, index, ascending);
        if (onSort) { onSort(header.getAttribute("data-key"), ascending); }
      });
    });
  }

  /* The kecamatan table: filters and order live in the query string (q, area, behind, sort),
   * so the server draws the same table without JavaScript, a copied link shows it again, and
   * the PDF and XLSX links download exactly what is on screen. */
  function makeFilterable(table) {
    var form = el("kecamatan-filter");
    if (!form) { return; }
    var text = el("kecamatan-q");
    var area = el("kecamatan-area");
    var behindOnly = el("kecamatan-behind");
    var sortField = el("kecamatan-sort");
    var count = el("kecamatan-count");
    var countTemplate = count ? count.getAttribute("data-template") : null;
    var total = dataRows(table).length;
    var submit = el("kecamatan-filter-submit");
    if (submit) { submit.hidden = true; }  // filtering is live; without JS the button submits

    function state() {
      var params = new URLSearchParams(window.location.search);
      [["q", text && text.value.trim()], ["area", area && area.value], ["behind", behindOnly && behindOnly.checked ? "1" : ""],
        ["sort", sortField && sortField.value]].forEach(function (pair) {
        if (pair[1]) { params.set(pair[0], pair[1]); } else { params.delete(pair[0]); }
      });
      return params;
    }

    function publish() {
      var params = state();
      var query = params.toString();
      window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
      document.querySelectorAll("a[data-export]").forEach(function (link) {
        link.href = link.href.split("?")[0] + (query ? "?" + query : "");
      });
    }

    function apply() {
      var needle = text ? text.value.trim().toLowerCase() : "";
      var shown = 0;
      dataRows(table).forEach(function (row) {
        var visible = (!needle || row.getAttribute("data-search").indexOf(needle) !== -1) &&
          (!area || !area.value || row.getAttribute("data-kota") === area.value) &&
          (!behindOnly || !behindOnly.checked || row.getAttribute("data-behind") === "1");
        row.hidden = !visible;
        if (visible) { shown += 1; }
      });
      var empty = table.querySelector(".no-rows");
      if (empty) { empty.hidden = shown > 0; }
      if (count && countTemplate) {
        count.textContent = countTemplate.replace("{shown}", numberFormat.format(shown)).replace("{total}", numberFormat.format(total));
      }
      publish();
    }

    form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
    [text, area, behindOnly].forEach(function (field) {
      if (field) {
        field.addEventListener(field.type === "search" ? "input" : "change", apply);
      }
    });
    return function (key, ascending) {
      if (sortField) { sortField.value = (ascending ? "" : "-") + key; }
      publish();
    };
  }

  function init() {
    document.querySelectorAll("table[data-sortable]").forEach(function (table) {
      makeSortable(table, table.hasAttribute("data-filterable") ? makeFilterable(table) : null);
    });
    var printButton = el("print-button");
    if (printButton) {
      printButton.hidden = false;
      printButton.addEventListener("click", function () { window.print(); });
    }
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
