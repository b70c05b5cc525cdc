/* Every chart of AMIS (Chart.js, vendored: amis/static/vendor/chartjs): the home page's headline
   figures and the programme's share per specific objective. No inline script (Content-Security-
   Policy): each canvas names, in data-figures, a JSON script element next to it written by the server
   ({labels, series: [{label, values}], format: "money" | "percent", horizontal: bool}); the same
   figures are always in a table beside the chart. */
(function () {
  "use strict";
  var colours = ["#003f7d", "#c26a00", "#1d6b2f", "#6b2d8f"];  // AA contrast on white, told apart without hue by the table beside
  function formatter(kind, lang) {
    if (kind === "percent") {
      var pct = new Intl.NumberFormat(lang, { style: "percent", minimumFractionDigits: 0, maximumFractionDigits: 2 });
      return function (v) { return pct.format(v / 100); };
    }
    var money = new Intl.NumberFormat(lang, { style: "currency", currency: "EUR", maximumFractionDigits: 0 });
    return function (v) { return money.format(v); };
  }
  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.figures);
    if (!source || typeof window.Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var lang = document.documentElement.lang || "en";
    var format = formatter(data.format || "money", lang);
    var horizontal = Boolean(data.horizontal);
    var value = horizontal ? "x" : "y";
    var scales = {};
    scales[value] = { beginAtZero: true, ticks: { callback: function (v) { return format(v); } } };
    if (data.format === "percent") { scales[value].suggestedMax = 100; }
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: data.series.map(function (s, i) {
          return { label: s.label, data: s.values, backgroundColor: colours[i % colours.length] };
        })
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          legend: { display: data.series.length > 1, position: "bottom" },
          tooltip: { callbacks: { label: function (c) { return c.dataset.label + ": " + format(c.parsed[value]); } } }
        },
        scales: scales
      }
    });
  }
  function start() { document.querySelectorAll("canvas[data-figures]").forEach(draw); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
