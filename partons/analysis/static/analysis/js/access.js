/* Access indicators: the choropleth / proportional-symbol map, the scenario map, the progress of a computation. */
(function () {
  'use strict';
  var NONE = '#bdbdbd';

  // The view (time, share, change, viability) comes from the page as data: the property of the API's answers it
  // reads, its scale, whether it is the change since `then`, and the legend's classes (see analysis/indicators.py).
  function classColour(view, value, level) {
    var legend = view.legend;
    if (!view.prop) {
      for (var i = 0; i < legend.length; i++) { if (legend[i].level === level) { return legend[i].colour; } }
      return NONE;
    }
    if (value == null) { return NONE; }
    for (var j = 0; j < legend.length; j++) {
      if (legend[j].max == null || value < legend[j].max) { return legend[j].colour; }
    }
    return NONE;
  }

  function valueOf(view, p) {
    if (!view.prop || p[view.prop] == null) { return null; }
    if (!view.change) { return view.scale * p[view.prop]; }
    if (!p.then || p.then[view.prop] == null) { return null; }
    return view.scale * (p[view.prop] - p.then[view.prop]);
  }

  function accessMap(el) {
    var M = window.partonsMaps, lang = el.dataset.lang || 'nl';
    var view = JSON.parse(el.dataset.view);
    var levels = JSON.parse(el.dataset.levels || '{}');
    var status = document.getElementById(el.id + '-status');
    var map = M.baseMap(el);
    map.fitBounds(M.regionView);
    function pct(v) { return v == null ? '–' : Math.round(100 * v) + ' %'; }
    function mins(v) { return v == null ? '–' : M.numberFormat(Math.round(v), lang) + ' min'; }
    function describe(p) {
      var html = '<strong><a href="' + M.escapeHtml(p.url) + '">' + M.escapeHtml(p.name) + '</a></strong> (' + M.escapeHtml(p.country) + ')';
      if (p.population != null) { html += '<br>' + M.escapeHtml(el.dataset.labelResidents) + ': ' + M.numberFormat(Math.round(p.population), lang); }
      html += '<br>' + M.escapeHtml(el.dataset.labelMean) + ': ' + mins(p.mean_time_min);
      html += '<br>' + M.escapeHtml(el.dataset.labelWithin) + ': ' + pct(p.share_within);
      if (view.change) {
        var d = valueOf(view, p);
        html += '<br>' + M.escapeHtml(el.dataset.labelChange) + ': ' + (d == null ? '–' : (d > 0 ? '+' : '') + Math.round(d) + ' ' + M.escapeHtml(el.dataset.labelPoints));
      }
      if (p.viability) { html += '<br>' + M.escapeHtml(el.dataset.labelViability) + ': ' + M.escapeHtml(levels[p.viability] || p.viability); }
      if (p.method) { html += '<br><em>' + M.escapeHtml(p.method === 'network' ? el.dataset.labelNetwork : el.dataset.labelStraight) + '</em>'; }
      return html;
    }
    var areas = M.getJSON(M.withLang(el.dataset.boundariesUrl, lang));
    var figures = M.getJSON(M.withLang(el.dataset.municipalitiesUrl, lang));
    Promise.all([areas, figures]).then(function (res) {
      var byKey = {};
      res[1].items.forEach(function (it) { byKey[it.key] = it; });
      L.geoJSON({type: 'FeatureCollection', features: res[0].features.filter(function (f) { return f.geometry && f.geometry.type !== 'Point'; })}, {
        style: function (f) {
          var it = byKey[f.properties.key];
          var fill = view.prop ? classColour(view, it ? valueOf(view, it) : null) : '#ffffff';
          return {color: '#5f6368', weight: 0.6, fillColor: fill, fillOpacity: view.prop ? 0.55 : 0.05};
        },
        onEachFeature: function (f, layer) {
          var it = byKey[f.properties.key];
          if (it) { layer.bindTooltip(M.escapeHtml(it.name) + ': ' + (view.prop === 'share_within' ? pct(it.share_within) : mins(it.mean_time_min))); }
        }
      }).addTo(map);
    }).catch(function () { if (status) { status.textContent = el.dataset.labelError; } });
    M.getJSON(M.withLang(el.dataset.villagesUrl, lang)).then(function (data) {
      data.features.sort(function (a, b) { return (b.properties.population || 0) - (a.properties.population || 0); });
      data.features.forEach(function (f) {
        var p = f.properties;
        L.circleMarker([f.geometry.coordinates[1], f.geometry.coordinates[0]], {
          radius: M.radius(p.population), color: '#222', weight: 1,
          fillColor: classColour(view, valueOf(view, p), p.viability), fillOpacity: 0.9
        }).bindPopup(describe(p)).bindTooltip(M.escapeHtml(p.name)).addTo(map);
      });
    }).catch(function () { if (status) { status.textContent = el.dataset.labelError; } });
  }

  function scenarioMap(el) {
    var M = window.partonsMaps, lang = el.dataset.lang || 'nl';
    var status = document.getElementById(el.id + '-status');
    var map = M.baseMap(el);
    map.fitBounds(M.regionView);
    var closedInput = document.getElementById('sc-closed');
    var addedInput = document.getElementById('sc-added');
    var addMode = document.getElementById('sc-add-mode');
    var result = document.getElementById('sc-result');
    var added = [];
    var markers = {};
    var villageLayer = L.layerGroup().addTo(map);
    var newLayer = L.layerGroup().addTo(map);
    var csrf = document.querySelector('#scenario-form input[name=csrfmiddlewaretoken]').value;
    el._partonsMap = map;

    function closedIds() {
      return closedInput.value.split(',').map(function (s) { return parseInt(s.trim(), 10); })
        .filter(function (n) { return !isNaN(n); });
    }
    var names = {};  // id → name of the services met on the map, to list what closes by name
    function setClosed(ids) { closedInput.value = ids.join(','); listClosed(); }
    function listClosed() {
      var list = document.getElementById('sc-closed-list');
      if (!list) { return; }
      list.innerHTML = '';
      var ids = closedIds();
      if (!ids.length) {
        var none = document.createElement('li');
        none.className = 'muted';
        none.textContent = el.dataset.labelNoneClosed;
        list.appendChild(none);
      }
      ids.forEach(function (id) {
        var li = document.createElement('li');
        li.textContent = (names[id] || ('#' + id)) + ' ';
        var b = document.createElement('button');
        b.type = 'button'; b.className = 'secondary'; b.textContent = el.dataset.labelReopen;
        b.addEventListener('click', function () {
          setClosed(closedIds().filter(function (x) { return x !== id; }));
          restyle();
          run();
        });
        li.appendChild(b);
        list.appendChild(li);
      });
    }
    function styleOf(id) {
      var closed = closedIds().indexOf(id) >= 0;
      return {radius: 6, color: closed ? '#000' : '#fff', weight: closed ? 2 : 1, dashArray: closed ? '2' : null,
              fillColor: closed ? '#9e9e9e' : '#1d4f91', fillOpacity: closed ? 0.5 : 0.9};
    }
    function restyle() { Object.keys(markers).forEach(function (id) { markers[id].setStyle(styleOf(parseInt(id, 10))); }); }

    M.getJSON(M.withLang(el.dataset.boundariesUrl, lang)).then(function (data) {
      L.geoJSON({type: 'FeatureCollection', features: data.features.filter(function (f) { return f.geometry && f.geometry.type !== 'Point'; })},
        {style: {color: '#5f6368', weight: 0.6, fillOpacity: 0}, interactive: false}).addTo(map);
    }).catch(function () {});
    // Services load by bounding box as the map moves (a category can hold thousands across the region).
    function addFacility(f) {
      var id = f.properties.id;
      if (markers[id]) { return; }
      var m = L.circleMarker([f.geometry.coordinates[1], f.geometry.coordinates[0]], styleOf(id));
      names[id] = (f.properties.name || f.properties.category_name) + (f.properties.village_name ? ', ' + f.properties.village_name : '');
      if (closedIds().indexOf(id) >= 0) { listClosed(); }
      m.bindTooltip(M.escapeHtml((f.properties.name || f.properties.category_name) + ' (' + id + ')' +
                                 (f.properties.village_name ? ', ' + f.properties.village_name : '')));
      m.on('click', function (e) {
        L.DomEvent.stopPropagation(e);
        var ids = closedIds(), i = ids.indexOf(id);
        if (i >= 0) { ids.splice(i, 1); } else { ids.push(id); }
        setClosed(ids);
        restyle();
        run();
      });
      markers[id] = m.addTo(map);
    }
    var first = true;
    function loadFacilities() {
      var b = map.getBounds();
      var bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (x) { return x.toFixed(5); }).join(',');
      M.getJSON(M.withLang(el.dataset.facilitiesUrl + '&limit=5000&bbox=' + bbox, lang)).then(function (data) {
        data.features.forEach(addFacility);
        el.dataset.loaded = 'true';
        if (first && closedIds().length) { run(); }
        first = false;
      }).catch(function () { if (status) { status.textContent = el.dataset.labelError; } });
    }
    map.on('moveend', loadFacilities);
    loadFacilities();

    function drawAdded() {
      newLayer.clearLayers();
      var list = document.getElementById('sc-added-list');
      list.innerHTML = '';
      added.forEach(function (a, i) {
        L.circleMarker([a.lat, a.lon], {radius: 8, color: '#fff', weight: 2, fillColor: '#2e7d32', fillOpacity: 1})
          .bindTooltip(M.escapeHtml(el.dataset.labelNew + ' ' + (i + 1))).addTo(newLayer);
        var li = document.createElement('li');
        li.textContent = el.dataset.labelNew + ' ' + (i + 1) + ': ' + a.lat.toFixed(5) + ', ' + a.lon.toFixed(5) + ' ';
        var b = document.createElement('button');
        b.type = 'button'; b.className = 'secondary'; b.textContent = el.dataset.labelRemove;
        b.addEventListener('click', function () { added.splice(i, 1); drawAdded(); run(); });
        li.appendChild(b);
        list.appendChild(li);
      });
      addedInput.value = JSON.stringify(added);
    }
    function addPoint(lat, lon) {
      added.push({lat: lat, lon: lon, name: ''});
      drawAdded();
      run();
    }
    map.on('click', function (e) { if (addMode.checked) { addPoint(e.latlng.lat, e.latlng.lng); } });
    document.getElementById('sc-add-point').addEventListener('click', function () {
      var lat = parseFloat(document.getElementById('sc-lat').value.replace(',', '.'));
      var lon = parseFloat(document.getElementById('sc-lon').value.replace(',', '.'));
      if (isNaN(lat) || isNaN(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) { result.textContent = el.dataset.labelBadPoint; return; }
      addPoint(lat, lon);
    });
    listClosed();
    document.getElementById('sc-run').addEventListener('click', run);

    // Public transport: lines that stop, stops no longer served, a new line (only when the mode is public transport).
    var transitInput = document.getElementById('sc-transit');
    var panel = document.getElementById('sc-transit-panel');
    var stops = {}, routes = [], dropped = [], lineStops = [];
    var transitLayer = L.layerGroup().addTo(map);
    function transitState() {
      if (!panel) { return {}; }
      var routes = Array.prototype.map.call(panel.querySelectorAll('.sc-route:checked'), function (c) { return c.value; });
      var t = {routes: routes, stops: dropped.slice(), line: null};
      if (lineStops.length) {
        t.line = {stops: lineStops.slice(), headway_min: parseInt(document.getElementById('sc-line-headway').value, 10) || 0,
                  first: document.getElementById('sc-line-first').value, last: document.getElementById('sc-line-last').value};
      }
      return t;
    }
    function stopList(listId, ids, onRemove) {
      var list = document.getElementById(listId);
      list.innerHTML = '';
      ids.forEach(function (id, i) {
        var li = document.createElement('li');
        li.textContent = (stops[id] ? stops[id].name : id) + ' ';
        var b = document.createElement('button');
        b.type = 'button'; b.className = 'secondary'; b.textContent = el.dataset.labelRemove;
        b.setAttribute('aria-label', el.dataset.labelRemove + ' ' + li.textContent.trim());
        b.addEventListener('click', function () { onRemove(i); });
        li.appendChild(b);
        list.appendChild(li);
      });
    }
    function drawTransit() {
      transitInput.value = JSON.stringify(transitState());
      stopList('sc-dropped-stops', dropped, function (i) { dropped.splice(i, 1); drawTransit(); run(); });
      stopList('sc-line-stops', lineStops, function (i) { lineStops.splice(i, 1); drawTransit(); run(); });
      transitLayer.clearLayers();
      var stopped = transitState().routes || [];
      routes.forEach(function (r) {
        if (r.path.length < 2) { return; }
        var off = stopped.indexOf(r.id) >= 0;
        L.polyline(r.path, off ? {color: '#d7301f', weight: 3, dashArray: '6 6'} : {color: '#5b6b7c', weight: 2, opacity: 0.8})
          .bindTooltip(r.name).addTo(transitLayer);
      });
      var line = lineStops.filter(function (id) { return stops[id]; }).map(function (id) { return [stops[id].lat, stops[id].lon]; });
      if (line.length > 1) {
        L.polyline(line, {color: '#6a3d9a', weight: 4, dashArray: '8 6'}).bindTooltip(el.dataset.labelNewLine).addTo(transitLayer);
      }
      line.forEach(function (ll) { L.circleMarker(ll, {radius: 5, color: '#6a3d9a', weight: 2, fillColor: '#fff', fillOpacity: 1}).addTo(transitLayer); });
      dropped.forEach(function (id) {
        if (stops[id]) {
          L.circleMarker([stops[id].lat, stops[id].lon], {radius: 6, color: '#444', weight: 2, fillColor: '#999', fillOpacity: 1})
            .bindTooltip(stops[id].name + ': ' + el.dataset.labelDroppedStop).addTo(transitLayer);
        }
      });
    }
    if (panel) {
      JSON.parse(document.getElementById('sc-stops').textContent).forEach(function (st) { stops[st.id] = st; });
      routes = JSON.parse(document.getElementById('sc-routes').textContent);
      var initial = JSON.parse(document.getElementById('sc-transit-initial').textContent) || {};
      dropped = (initial.stops || []).filter(function (id) { return stops[id]; });
      lineStops = ((initial.line || {}).stops || []).filter(function (id) { return stops[id]; });
      document.getElementById('sc-drop-stop-add').addEventListener('click', function () {
        var id = document.getElementById('sc-drop-stop').value;
        if (dropped.indexOf(id) < 0) { dropped.push(id); drawTransit(); run(); }
      });
      document.getElementById('sc-line-stop-add').addEventListener('click', function () {
        var id = document.getElementById('sc-line-stop').value;
        if (lineStops.indexOf(id) < 0) { lineStops.push(id); drawTransit(); if (lineStops.length > 1) { run(); } }
      });
      panel.addEventListener('change', function (e) {
        if (e.target.matches('.sc-route, #sc-line-headway, #sc-line-first, #sc-line-last')) { drawTransit(); run(); }
      });
      drawTransit();
      if (transitInput.value !== '{"routes":[],"stops":[],"line":null}') { run(); }
    }

    var pending = null;
    function run() {
      if (pending) { pending.abort(); }
      pending = new AbortController();
      fetch(el.dataset.evaluateUrl, {method: 'POST', signal: pending.signal, credentials: 'same-origin',
        headers: {'Content-Type': 'application/json', 'X-CSRFToken': csrf, 'Accept': 'application/json'},
        body: JSON.stringify({category: el.dataset.category, mode: el.dataset.mode, closed: closedIds(), added: added,
                              transit: transitState()})
      }).then(function (r) { return r.json().then(function (d) { return {ok: r.ok, d: d}; }); }).then(function (res) {
        if (!res.ok) { result.textContent = res.d.detail || el.dataset.labelError; return; }
        show(res.d);
      }).catch(function (e) { if (e.name !== 'AbortError') { result.textContent = el.dataset.labelError; } });
    }
    function show(d) {
      var nf = function (n) { return M.numberFormat(n, lang); };
      var html = '<p><strong data-testid="lost">' + nf(d.lost) + '</strong> ' + M.escapeHtml(el.dataset.labelLost) +
        '<br><strong data-testid="gained">' + nf(d.gained) + '</strong> ' + M.escapeHtml(el.dataset.labelGained) + '</p>';
      if (d.method === 'straight_line') { html += '<p class="muted">' + M.escapeHtml(el.dataset.labelStraight) + '</p>'; }
      html += '<p class="muted">' + M.escapeHtml(el.dataset.labelAnswered) + ' ' + nf(d.elapsed_ms) + ' ms</p>';
      if (d.villages.length) {
        html += '<div class="table-scroll"><table><thead><tr><th scope="col">' + M.escapeHtml(el.dataset.labelVillage) + '</th><th scope="col" class="num">' +
          M.escapeHtml(el.dataset.labelBefore) + '</th><th scope="col" class="num">' + M.escapeHtml(el.dataset.labelAfter) + '</th><th scope="col" class="num">' +
          M.escapeHtml(el.dataset.labelMeanBefore) + '</th><th scope="col" class="num">' + M.escapeHtml(el.dataset.labelMeanAfter) + '</th></tr></thead><tbody>';
        d.villages.slice(0, 50).forEach(function (v) {
          html += '<tr><th scope="row">' + M.escapeHtml(v.name) + ' (' + M.escapeHtml(v.country) + ')</th><td class="num">' + nf(v.within_before) +
            '</td><td class="num">' + nf(v.within_after) + '</td><td class="num">' + (v.mean_before_min == null ? '–' : nf(v.mean_before_min)) +
            ' min</td><td class="num">' + (v.mean_after_min == null ? '–' : nf(v.mean_after_min)) + ' min</td></tr>';
        });
        html += '</tbody></table></div>';
      } else {
        html += '<p>' + M.escapeHtml(el.dataset.labelUnchanged) + '</p>';
      }
      result.innerHTML = html;
      if (window.partonsScrollable) { window.partonsScrollable(); }
      el.dataset.runs = String((parseInt(el.dataset.runs || '0', 10)) + 1);
      villageLayer.clearLayers();
      d.villages.forEach(function (v) {
        var colour = v.lost > v.gained ? '#d7301f' : (v.gained > 0 ? '#2166ac' : '#fdae61');  // see the legend
        L.circleMarker([v.lat, v.lon], {radius: M.radius(v.population) + 3, color: colour, weight: 3, fill: false, interactive: false})
          .addTo(villageLayer);
      });
    }
  }

  function runProgress(box) {
    function poll() {
      fetch(box.dataset.statusUrl, {headers: {'Accept': 'application/json'}}).then(function (r) { return r.json(); }).then(function (d) {
        document.getElementById('run-status').textContent = d.status_display || '';
        document.getElementById('run-bar').value = d.progress || 0;
        document.getElementById('run-message').textContent = d.message || '';
        if (d.status === 'queued' || d.status === 'running') { setTimeout(poll, 1500); }
      }).catch(function () {});
    }
    poll();
  }

  // The filters apply when "Show" is pressed (a change of a control does not reload the page under the visitor):
  // until then the map, the figures and the prints show the previous choice, and the page says so by the button.
  function pendingChoice(form) {
    var note = form.querySelector('.pending-choice');
    if (!note) { return; }
    form.addEventListener('change', function () {  // written into the live region, so that it is read out
      if (!note.textContent) { note.textContent = note.dataset.message; note.classList.add('notice'); }
    });
  }

  function init() {
    var box = document.getElementById('run-progress');
    if (box) { runProgress(box); }
    document.querySelectorAll('#access-filters').forEach(pendingChoice);
    if (typeof L === 'undefined' || !window.partonsMaps) { return; }
    document.querySelectorAll('#access-map').forEach(accessMap);
    document.querySelectorAll('#scenario-map').forEach(scenarioMap);
  }
  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', init); } else { init(); }
})();
