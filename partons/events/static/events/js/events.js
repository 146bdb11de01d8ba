/* Events on maps: the agenda's events load by bounding box from the API (the list below says the same);
   an event's page shows its place and the bus pick-up points. */
(function () {
  'use strict';
  function boundaries(M, map, el) {
    M.getJSON(M.withLang(el.dataset.municipalitiesUrl + '?geometry=boundary&simplify=0.0008&limit=2000', el.dataset.lang || 'nl')).then(function (data) {
      L.geoJSON({type: 'FeatureCollection', features: data.features.filter(function (f) { return f.geometry && f.geometry.type !== 'Point'; })},
        {style: {color: '#5f6368', weight: 0.6, fillOpacity: 0}, interactive: false}).addTo(map);
    }).catch(function () {});
  }

  function agendaMap(el, M) {
    var map = M.baseMap(el), layer = L.layerGroup().addTo(map), status = document.getElementById('events-map-status');
    map.fitBounds(M.regionView);
    boundaries(M, map, el);
    var fitted = false, fit = M.fitUnlessMoved(map);
    function load() {
      var b = map.getBounds();
      var bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (x) { return x.toFixed(4); }).join(',');
      var url = M.withLang(el.dataset.api + (el.dataset.api.indexOf('?') >= 0 ? '&' : '?') + 'limit=500&bbox=' + bbox, el.dataset.lang || 'nl');
      M.getJSON(url).then(function (data) {
        layer.clearLayers();
        if (!fitted && data.features.length) {  // first view: the events, not the whole region
          fitted = true;
          var pts = data.features.map(function (f) { return [f.geometry.coordinates[1], f.geometry.coordinates[0]]; });
          if (fit(pts, {padding: [40, 40], maxZoom: 11})) { return; }  // moving the map loads again
        }
        fitted = true;
        data.features.forEach(function (f) {
          var p = f.properties, c = f.geometry.coordinates;
          var places = p.places_left === null ? '' : (p.places_left > 0 ? p.places_left + ' ' + (el.dataset.labelPlacesLeft || '') : (el.dataset.labelFull || ''));
          L.circleMarker([c[1], c[0]], {radius: 10, color: '#fff', weight: 2, fillColor: p.country === 'FR' ? '#b3261e' : '#1d4f91', fillOpacity: 0.9})
            .bindPopup('<strong><a href="' + M.escapeHtml(p.url) + '">' + M.escapeHtml(p.title) + '</a></strong><br>' +
                       M.escapeHtml(p.type_label) + ' · ' + M.escapeHtml(p.village_name) + '<br>' + M.escapeHtml(p.starts_label) +
                       (places ? '<br>' + M.escapeHtml(places) : ''))
            .bindTooltip(M.escapeHtml(p.title))
            .addTo(layer);
        });
        if (status) { status.textContent = ''; }
      }).catch(function () { if (status) { status.textContent = el.dataset.labelError || ''; } });
    }
    map.on('moveend', load);
    load();
  }

  function eventMap(el, M) {
    var map = M.baseMap(el), lat = parseFloat(el.dataset.lat), lon = parseFloat(el.dataset.lon), pts = [[lat, lon]];
    boundaries(M, map, el);
    L.circleMarker([lat, lon], {radius: 10, color: '#fff', weight: 2, fillColor: '#1d4f91', fillOpacity: 0.95})
      .bindTooltip(M.escapeHtml(el.dataset.title), {permanent: false}).addTo(map);
    var data = document.getElementById('event-pickups');
    (data ? JSON.parse(data.textContent) : []).forEach(function (p) {
      pts.push([p.lat, p.lon]);
      L.circleMarker([p.lat, p.lon], {radius: 6, color: '#fff', weight: 2, fillColor: '#2f3a48', fillOpacity: 0.9})
        .bindTooltip(M.escapeHtml(p.label)).addTo(map);
    });
    if (pts.length > 1) { map.fitBounds(pts, {padding: [45, 45], maxZoom: 13}); } else { map.setView([lat, lon], 12); }
  }

  function init() {
    if (typeof L === 'undefined' || !window.partonsMaps) { return; }
    var a = document.getElementById('events-map'), e = document.getElementById('event-map');
    if (a) { agendaMap(a, window.partonsMaps); }
    if (e) { eventMap(e, window.partonsMaps); }
  }
  // A form that removes something for someone else asks first (the page works without this too).
  document.addEventListener('submit', function (e) {
    var msg = e.target.dataset && e.target.dataset.confirm;
    if (msg && !window.confirm(msg)) { e.preventDefault(); }
  });
  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', init); } else { init(); }
})();
