/* The portfolio on a map: one circle per supported project, at its village (the table below says the same). */
(function () {
  'use strict';
  function init() {
    var el = document.getElementById('portfolio-map');
    if (!el || typeof L === 'undefined' || !window.partonsMaps) { return; }
    var M = window.partonsMaps, lang = el.dataset.lang || 'nl';
    var map = M.baseMap(el);
    map.fitBounds(M.regionView);
    M.getJSON(M.withLang(el.dataset.municipalitiesUrl + '?geometry=boundary&simplify=0.0008&limit=2000', lang)).then(function (data) {
      L.geoJSON({type: 'FeatureCollection', features: data.features.filter(function (f) { return f.geometry && f.geometry.type !== 'Point'; })},
        {style: {color: '#5f6368', weight: 0.6, fillOpacity: 0}, interactive: false}).addTo(map);
    }).catch(function () {});
    JSON.parse(el.dataset.points || '[]').forEach(function (p) {
      L.circleMarker([p.lat, p.lon], {radius: 8, color: '#fff', weight: 2, fillColor: M.colour(p.country), fillOpacity: 0.9})
        .bindPopup('<strong' + (p.language ? ' lang="' + M.escapeHtml(p.language) + '"' : '') + '>' + M.escapeHtml(p.title) +
                   '</strong><br>' + M.escapeHtml(p.village) + '<br><a href="' +
                   M.escapeHtml(p.url) + '">' + M.escapeHtml(p.call) + '</a>')
        .addTo(map);
    });
  }
  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', init); } else { init(); }
})();
