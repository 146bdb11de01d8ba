/* Services over time: Chart.js (served by the app). The table next to the chart carries the same figures.
   The services map asks the chart to follow its category filters (window.partonsChart.show). */
(function () {
  'use strict';
  var chart = null, canvas = null, lastUrl = null;
  function show(extra) {
    if (!canvas || typeof Chart === 'undefined') { return; }
    var url = canvas.dataset.url + (extra ? (canvas.dataset.url.indexOf('?') >= 0 ? '&' : '?') + extra : '');
    if (url === lastUrl) { return; }
    lastUrl = url;
    fetch(url, {headers: {'Accept': 'application/json'}}).then(function (r) { return r.json(); }).then(function (data) {
      if (url !== lastUrl) { return; }
      if (chart) {
        chart.data.labels = data.years;
        chart.data.datasets[0].data = data.series.total;
        chart.update();
      } else {
        chart = new Chart(canvas, {
          type: 'line',
          data: {labels: data.years, datasets: [{label: canvas.dataset.label, data: data.series.total, borderColor: '#1d4f91',
                                                 backgroundColor: 'rgba(29,79,145,.12)', fill: true, tension: 0.2}]},
          options: {animation: false, responsive: true, maintainAspectRatio: false, scales: {y: {beginAtZero: true}},
                    locale: document.documentElement.lang || 'nl',  // 9.000 on Dutch pages, 9 000 on French ones
                    plugins: {legend: {display: false}}}
        });
        canvas._partonsChart = chart;
      }
      canvas.dataset.shownUrl = url;
    });
  }
  window.partonsChart = {show: show};
  function init() {
    canvas = document.getElementById('services-chart');
    if (canvas && !document.getElementById('services-map')) { show(''); }
  }
  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', init); } else { init(); }
})();
