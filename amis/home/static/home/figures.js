/* The home page's headline figures as a bar chart (Chart.js, vendored: amis/static/vendor/chartjs).
   No inline script (Content-Security-Policy): the figures come from a JSON script element next to the
   canvas, written by the server; the same figures are in the table below each chart. */
(function () {
  "use strict";
  var colours = ["#003f7d", "#c26a00", "#1d6b2f"];
  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.figures);
    if (!source || typeof window.Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var lang = document.documentElement.lang || "en";
    var money = new Intl.NumberFormat(lang, { style: "currency", currency: "EUR", maximumFractionDigits: 0 });
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: data.series.map(function (s, i) {
          return { label: s.label, data: s.values, backgroundColor: colours[i % colours.length] };
        })
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          legend: { position: "bottom" },
          tooltip: { callbacks: { label: function (c) { return c.dataset.label + ": " + money.format(c.parsed.y); } } }
        },
        scales: { y: { beginAtZero: true, ticks: { callback: function (v) { return money.format(v); } } } }
      }
    });
  }
  function start() { document.querySelectorAll("canvas[data-figures]").forEach(draw); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
