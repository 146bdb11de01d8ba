/* Surveys, progressively: the page works as plain HTML (the server evaluates the conditions when the answer is sent).
   Here: conditional questions show and hide as one answers, a point question gets a map (Leaflet, served by the app),
   and the results page draws a bar chart per question (Chart.js, served by the app; the table beside it has the same
   figures). */
(function () {
  'use strict';

  function conditions(form) {
    var blocks = form.querySelectorAll('[data-show-if]');
    if (!blocks.length) { return; }
    function chosen(name) {
      var out = [];
      form.querySelectorAll('input[name="' + name + '"]:checked').forEach(function (i) { out.push(i.value); });
      return out;
    }
    function update() {
      // In order: a question whose condition's question is hidden is hidden too.
      blocks.forEach(function (block) {
        var parent = document.getElementById(block.dataset.showIf + '-block');
        var shown = (!parent || !parent.hidden) && chosen(block.dataset.showIf).indexOf(block.dataset.showIfChoice) >= 0;
        block.hidden = !shown;
        var note = block.querySelector('.survey-condition');
        if (note) { note.hidden = true; }
      });
    }
    form.addEventListener('change', update);
    update();
  }

  function pointMap(el) {
    var M = window.partonsMaps;
    if (!M || typeof L === 'undefined') { return; }
    el.hidden = false;
    var help = el.parentNode.querySelector('.survey-map-help');
    if (help) { help.hidden = false; }
    var name = el.dataset.field;
    var lon = document.getElementById(name + '_lon'), lat = document.getElementById(name + '_lat');
    var village = document.getElementById(name + '_village');
    var map = M.baseMap(el), marker = null;
    function place(latlng) {
      if (marker) { marker.setLatLng(latlng); } else {
        marker = L.circleMarker(latlng, {radius: 9, color: '#fff', weight: 2, fillColor: '#b3261e', fillOpacity: 1}).addTo(map);
      }
    }
    if (lon.value && lat.value && !isNaN(Number(lon.value)) && !isNaN(Number(lat.value))) {
      place([Number(lat.value), Number(lon.value)]);
      map.setView([Number(lat.value), Number(lon.value)], 14);
    } else {
      map.fitBounds(M.regionView);
    }
    // A village chosen in the list: the map goes there (its streets and names show), ready for a more precise point.
    if (village) {
      village.addEventListener('change', function () {
        var option = village.options[village.selectedIndex];
        if (option && option.dataset.lat) { map.setView([Number(option.dataset.lat), Number(option.dataset.lon)], 13); }
      });
    }
    map.on('click', function (e) {
      lon.value = e.latlng.lng.toFixed(6);
      lat.value = e.latlng.lat.toFixed(6);
      if (village) { village.value = ''; }
      place(e.latlng);
    });
    el._partonsMap = map;
  }

  function charts() {
    var data = document.getElementById('survey-charts');
    if (!data || typeof Chart === 'undefined') { return; }
    var labels = JSON.parse(document.getElementById('survey-chart-labels').textContent);
    var colours = {BE: '#1d4f91', FR: '#b3261e', unknown: '#8a8f98'};
    JSON.parse(data.textContent).forEach(function (c) {
      var canvas = document.getElementById(c.id);
      if (!canvas) { return; }
      var sets = ['BE', 'FR', 'unknown'].filter(function (k) {
        return k !== 'unknown' || c.unknown.some(function (n) { return n > 0; });
      }).map(function (k) { return {label: labels[k], data: c[k], backgroundColor: colours[k]}; });
      canvas._partonsChart = new Chart(canvas, {
        type: 'bar', data: {labels: c.labels, datasets: sets},
        options: {animation: false, responsive: true, maintainAspectRatio: false, indexAxis: 'y',
                  locale: document.documentElement.lang || 'nl',
                  scales: {x: {stacked: true, beginAtZero: true, ticks: {precision: 0}}, y: {stacked: true}},
                  plugins: {legend: {position: 'bottom'}}}
      });
    });
  }

  function pointsMap(el) {
    var M = window.partonsMaps, data = document.getElementById(el.dataset.points);
    if (!M || typeof L === 'undefined' || !data) { return; }
    el.hidden = false;
    var map = M.baseMap(el), points = JSON.parse(data.textContent), bounds = [];
    points.forEach(function (p) {
      L.circleMarker([p.lat, p.lon], {radius: 6, color: '#fff', weight: 1.5, fillColor: p.on_paper ? '#5f6368' : '#b3261e',
                                      fillOpacity: 0.9}).addTo(map);
      bounds.push([p.lat, p.lon]);
    });
    if (bounds.length > 1) { map.fitBounds(bounds, {padding: [20, 20], maxZoom: 14}); } else { map.setView(bounds[0], 13); }
    el._partonsMap = map;
  }

  function init() {
    document.querySelectorAll('.survey-points-map').forEach(pointsMap);
    var form = document.getElementById('survey-form');
    if (form) {
      conditions(form);
      document.querySelectorAll('.survey-map').forEach(pointMap);
    }
    charts();
  }
  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', init); } else { init(); }
})();
