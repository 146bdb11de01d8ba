/* Idea box: the map of ideas (loaded by bounding box) and the form's draft, kept in the browser. */
(function () {
  'use strict';

  function ideasMap(el) {
    var M = window.partonsMaps, lang = el.dataset.lang || 'nl';
    var status = document.getElementById(el.id + '-status');
    var map = M.baseMap(el);
    map.fitBounds(M.regionView);
    var layer = L.layerGroup().addTo(map);
    M.getJSON(M.withLang(el.dataset.municipalitiesUrl + '?geometry=boundary&simplify=0.0008&limit=2000', lang)).then(function (data) {
      L.geoJSON({type: 'FeatureCollection', features: data.features.filter(function (f) { return f.geometry && f.geometry.type !== 'Point'; })},
        {style: {color: '#5f6368', weight: 0.6, fillOpacity: 0}, interactive: false}).addTo(map);
    }).catch(function () {});
    function load() {
      var b = map.getBounds();
      var bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (x) { return x.toFixed(5); }).join(',');
      var url = el.dataset.ideasUrl + (el.dataset.ideasUrl.indexOf('?') >= 0 ? '&' : '?') + 'limit=1000&bbox=' + bbox;
      M.getJSON(M.withLang(url, lang)).then(function (data) {
        layer.clearLayers();
        data.features.forEach(function (f) {
          var p = f.properties;
          L.circleMarker([f.geometry.coordinates[1], f.geometry.coordinates[0]], {
            radius: Math.min(14, 5 + Math.sqrt(p.supports_count || 0)), color: '#fff', weight: 1.5,
            fillColor: M.colour(p.country), fillOpacity: 0.85
          }).bindPopup('<strong><a href="' + M.escapeHtml(p.url) + '">' + M.escapeHtml(p.title) + '</a></strong><br>' +
                       M.escapeHtml(p.theme_name) + ' · ' + M.escapeHtml(p.status_name) + '<br>' +
                       M.numberFormat(p.supports_count, lang) + ' ' + M.escapeHtml(el.dataset.labelSupports))
            .addTo(layer);
        });
        if (status) { status.textContent = data.next ? el.dataset.labelTooMany : ''; }
        el.dataset.loaded = 'true';
      }).catch(function () { if (status) { status.textContent = el.dataset.labelError; } });
    }
    map.on('moveend', load);
    load();
    el._partonsMap = map;
  }

  // The draft of an idea stays in this browser until it is sent: a session that expires loses nothing.
  function draft(form) {
    var key = form.dataset.draftKey, notice = document.getElementById('draft-notice');
    var fields = ['title', 'description', 'village', 'lon', 'lat'];
    var sent = document.cookie.indexOf('partons_idea_sent=1') >= 0;
    if (sent) { try { localStorage.removeItem(key); } catch (e) {} }
    function save() {
      var data = {};
      fields.forEach(function (n) { var f = form.elements[n]; if (f) { data[n] = f.value; } });
      ['theme', 'language'].forEach(function (n) {
        var checked = form.querySelector('input[name="' + n + '"]:checked');
        if (checked) { data[n] = checked.value; }
      });
      try { localStorage.setItem(key, JSON.stringify(data)); } catch (e) {}
    }
    var stored = null;
    try { stored = JSON.parse(localStorage.getItem(key) || 'null'); } catch (e) {}
    var empty = !form.elements.title.value && !form.elements.description.value;
    if (stored && empty && (stored.title || stored.description)) {
      fields.forEach(function (n) { if (form.elements[n] && stored[n]) { form.elements[n].value = stored[n]; } });
      ['theme', 'language'].forEach(function (n) {
        if (stored[n]) { var r = form.querySelector('input[name="' + n + '"][value="' + stored[n] + '"]'); if (r) { r.checked = true; } }
      });
      if (notice) { notice.hidden = false; }
    }
    form.addEventListener('input', save);
    form.addEventListener('change', save);
    var clear = document.getElementById('draft-clear');
    if (clear) {
      clear.addEventListener('click', function () {
        try { localStorage.removeItem(key); } catch (e) {}
        form.reset();
        fields.forEach(function (n) { if (form.elements[n]) { form.elements[n].value = ''; } });
        if (notice) { notice.hidden = true; }
      });
    }
  }

  function init() {
    var form = document.getElementById('idea-form');
    if (form) { draft(form); }
    if (typeof L === 'undefined' || !window.partonsMaps) { return; }
    document.querySelectorAll('#ideas-map').forEach(ideasMap);
  }
  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', init); } else { init(); }
})();
