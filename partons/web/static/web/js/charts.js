/* Services over time: Chart.js (served by the app). The table next to the chart carries the same figures. */
(function () {
  'use strict';
  function init() {
    var canvas = document.getElementById('services-chart');
    if (!canvas || typeof Chart === 'undefined') { return; }
    fetch(canvas.dataset.url, {headers: {'Accept': 'application/json'}}).then(function (r) { return r.json(); }).then(function (data) {
      canvas._partonsChart = new Chart(canvas, {
        type: 'line',
        data: {labels: data.years, datasets: [{label: canvas.dataset.label, data: data.series.total, borderColor: '#1d4f91',
                                               backgroundColor: 'rgba(29,79,145,.12)', fill: true, tension: 0.2}]},
        options: {animation: false, responsive: true, maintainAspectRatio: false, scales: {y: {beginAtZero: true}},
                  plugins: {legend: {display: false}}}
      });
    });
  }
  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', init); } else { init(); }
})();
