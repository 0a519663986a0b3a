/* /me/reports/: draws the turnover per month from the JSON in #growth-series
 * (growth.views.chart_series: labels, turnover, assets, workers). The same figures are in
 * the table under the chart, so nothing depends on this script. */
(function () {
  "use strict";

  function draw() {
    var source = document.getElementById("growth-series");
    var canvas = document.getElementById("growth-chart");
    if (!source || !canvas || !window.Chart) {
      return;
    }
    var data = JSON.parse(source.textContent);
    var locale = document.documentElement.lang || "id";
    var numberFormat = new Intl.NumberFormat(locale);
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [{ label: "Omzet (Rp)", data: data.turnover, backgroundColor: "#b3261e" }],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        locale: locale,
        plugins: { legend: { display: false } },
        scales: { y: { beginAtZero: true, ticks: { callback: function (v) { return numberFormat.format(v); } } } },
      },
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
