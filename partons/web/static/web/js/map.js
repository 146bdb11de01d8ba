/* Partons maps: Leaflet, served by the app. Villages load by bounding box; every map has a table alternative. */
(function () {
  'use strict';
  var BE = '#1d4f91', FR = '#b3261e';
  var REGION_VIEW = [[50.55, 1.55], [51.2, 3.1]];
  var VILLAGE_ZOOM = 12;  // from this zoom on, the services map shows each service

  function colour(country) { return country === 'BE' ? BE : FR; }
  function radius(pop) { return pop ? Math.max(4, Math.min(20, Math.sqrt(pop) / 7)) : 4; }
  function withLang(url, lang) { return url + (url.indexOf('?') >= 0 ? '&' : '?') + 'lang=' + encodeURIComponent(lang); }
  function getJSON(url) {
    return fetch(url, {headers: {'Accept': 'application/json'}}).then(function (r) {
      if (!r.ok) { throw new Error('HTTP ' + r.status); }
      return r.json();
    });
  }
  function escapeHtml(s) {
    return String(s == null ? '' : s).replace(/[&<>"']/g, function (c) {
      return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c];
    });
  }
  function numberFormat(n, lang) { return new Intl.NumberFormat(lang === 'en' ? 'en-GB' : lang + '-BE').format(n); }

  function baseMap(el) {
    // Canvas: hundreds of shapes stay fast and are not each a keyboard stop (the tables are the keyboard route).
    var map = L.map(el, {zoomSnap: 0.5, scrollWheelZoom: false, minZoom: 6, maxZoom: 18, preferCanvas: true,
                         zoomControl: false});
    L.control.zoom({zoomInTitle: el.dataset.labelZoomIn || 'Zoom in', zoomOutTitle: el.dataset.labelZoomOut || 'Zoom out'})
      .addTo(map);
    if (el.dataset.tileUrl) {
      L.tileLayer(el.dataset.tileUrl, {attribution: el.dataset.tileAttribution || '', maxZoom: 18}).addTo(map);
    } else {
      drawnBaseMap(map, el);
    }
    L.control.scale({imperial: false, maxWidth: 120}).addTo(map);
    placeSearch(map);
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    map.attributionControl.addAttribution((el.dataset.tileUrl ? '' : 'Natural Earth · ') +
      'GeoNames (CC BY 4.0) · INSEE/IGN (Licence Ouverte) · Statbel · © OpenStreetMap (ODbL)');
    map.on('focus', function () { map.scrollWheelZoom.enable(); });
    map.on('blur', function () { map.scrollWheelZoom.disable(); });
    return map;
  }

  // The base map drawn by the app (no tile server): sea as the map's background, land, national borders, and
  // village names that appear as one zooms in (the largest places first).
  var LABEL_ZOOMS = [[20000, 9], [5000, 10.5], [1000, 11.5], [0, 12.5]];
  function labelZoom(p) {
    for (var i = 0; i < LABEL_ZOOMS.length; i++) { if ((p.population || 0) >= LABEL_ZOOMS[i][0]) { return LABEL_ZOOMS[i][1]; } }
    return 13;
  }
  var ROAD_STYLE = {motorway: {color: '#c9a24a', weight: 3, opacity: 0.9}, trunk: {color: '#c9a24a', weight: 2.5, opacity: 0.9},
                    primary: {color: '#d7bd7a', weight: 2, opacity: 0.9}, secondary: {color: '#ddd3bd', weight: 1.6, opacity: 1},
                    tertiary: {color: '#e3dccb', weight: 1.2, opacity: 1}};
  var MINOR_ROADS = {secondary: true, tertiary: true};
  function drawnBaseMap(map, el) {
    var lang = document.documentElement.lang || el.dataset.lang || 'nl';  // the page's language names the places
    el.classList.add('map-drawn');
    map.createPane('basemap').style.zIndex = 150;
    map.createPane('labels').style.zIndex = 450;
    map.getPane('labels').style.pointerEvents = 'none';
    var renderer = L.canvas({pane: 'basemap'});
    var labels = [];
    getJSON('/api/basemap').then(function (data) {
      function layer(kinds) {
        return L.geoJSON({type: 'FeatureCollection', features: data.features.filter(function (f) { return kinds(f.properties); })}, {
          pane: 'basemap', renderer: renderer, interactive: false,
          style: function (f) {
            var p = f.properties;
            if (p.kind === 'land') { return {stroke: false, fillColor: '#f5f2ea', fillOpacity: 1}; }
            if (p.kind === 'road') { return ROAD_STYLE[p['class']] || ROAD_STYLE.tertiary; }
            return {color: '#4a4a4a', weight: 2.5, dashArray: '8 5', opacity: 0.9, fill: false};
          }
        });
      }
      // land, then the roads (the minor ones only once zoomed in), then the border over them
      layer(function (p) { return p.kind === 'land'; }).addTo(map);
      var minor = layer(function (p) { return p.kind === 'road' && MINOR_ROADS[p['class']]; }).addTo(map);
      layer(function (p) { return p.kind === 'road' && !MINOR_ROADS[p['class']]; }).addTo(map);
      layer(function (p) { return p.kind === 'border'; }).addTo(map);
      function showMinor() {  // one canvas draws in the order layers were added: hidden by style, not removed
        var near = map.getZoom() >= 11;
        minor.eachLayer(function (l) { l.setStyle(near ? ROAD_STYLE[l.feature.properties['class']] : {opacity: 0}); });
      }
      map.on('zoomend', showMinor);
      showMinor();
      data.features.forEach(function (f) {
        if (f.properties.kind !== 'place') { return; }
        var p = f.properties, name = lang === 'fr' ? p.name_fr : p.name_nl;
        labels.push({zoom: labelZoom(p), latlng: L.latLng(f.geometry.coordinates[1], f.geometry.coordinates[0]),
                     width: 7 * name.length + 10, marker: L.marker([f.geometry.coordinates[1], f.geometry.coordinates[0]], {
          pane: 'labels', interactive: false, keyboard: false,
          icon: L.divIcon({className: 'place-label' + (p.seat ? ' place-seat' : ''), html: escapeHtml(name),
                           iconSize: null, iconAnchor: [-7, 9]})
        })});
      });
      showLabels();
    }).catch(function () { /* the overlays and the tables still say it all */ });
    function showLabels() {
      // The largest places first; a name that would overlap one already placed waits for a closer zoom.
      var z = map.getZoom(), placed = [], view = map.getBounds().pad(0.2);
      labels.forEach(function (l) {
        var show = z >= l.zoom && view.contains(l.latlng);
        if (show) {
          var pt = map.latLngToContainerPoint(l.latlng);
          var box = [pt.x + 5, pt.y - 12, pt.x + 5 + l.width, pt.y + 4];
          show = !placed.some(function (b) { return box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3]; });
          if (show) { placed.push(box); }
        }
        if (show) { if (!map.hasLayer(l.marker)) { l.marker.addTo(map); } }
        else if (map.hasLayer(l.marker)) { map.removeLayer(l.marker); }
      });
    }
    map.on('zoomend moveend', showLabels);
  }

  // Find a place without leaving the map: the region's villages and services by name (our own data, no outside
  // geocoder). The first answer is shown at once; the others are listed to choose from.
  function placeSearch(map) {
    var labelsEl = document.getElementById('map-labels'), box = map.getContainer();
    // not on the small map of one place, nor inside a form (a map to pick a point has the village field beside it)
    if (!labelsEl || box.classList.contains('map-small') || box.closest('form')) { return; }
    var t = JSON.parse(labelsEl.textContent), lang = document.documentElement.lang || 'nl';
    var found = L.layerGroup().addTo(map);
    function show(hit) {
      found.clearLayers();
      L.circleMarker(hit.latlng, {radius: 14, color: '#b00050', weight: 3, fill: false, interactive: false}).addTo(found);
      map.setView(hit.latlng, Math.max(map.getZoom(), hit.zoom), {animate: false});  // a zoom still animating would ignore it
    }
    var Search = L.Control.extend({
      options: {position: 'topright'},
      onAdd: function () {
        var form = L.DomUtil.create('form', 'map-search');
        form.setAttribute('role', 'search');
        var id = 'map-search-' + Math.random().toString(36).slice(2, 8);
        form.innerHTML = '<label class="visually-hidden" for="' + id + '">' + escapeHtml(t.find) + '</label>' +
          '<input type="search" id="' + id + '" placeholder="' + escapeHtml(t.placeholder) + '" autocomplete="off">' +
          '<button type="submit">' + escapeHtml(t.search) + '</button><span class="map-search-status" role="status"></span>' +
          '<ul class="map-search-results" aria-label="' + escapeHtml(t.results) + '"></ul>';
        L.DomEvent.disableClickPropagation(form);
        L.DomEvent.disableScrollPropagation(form);
        var input = form.querySelector('input'), status = form.querySelector('.map-search-status'),
            list = form.querySelector('.map-search-results');
        function point(f) { return L.latLng(f.geometry.coordinates[1], f.geometry.coordinates[0]); }
        form.addEventListener('submit', function (e) {
          e.preventDefault();
          var q = input.value.trim();
          list.innerHTML = '';
          if (q.length < 2) { return; }
          Promise.all([
            getJSON(withLang('/api/villages?limit=4&q=' + encodeURIComponent(q), lang)).catch(function () { return {features: []}; }),
            getJSON(withLang('/api/facilities?compact=true&limit=6&q=' + encodeURIComponent(q), lang)).catch(function () { return {features: []}; })
          ]).then(function (answers) {
            var hits = answers[0].features.map(function (f) {
              return {latlng: point(f), zoom: 13, label: f.properties.name, kind: t.village};
            }).concat(answers[1].features.map(function (f) {
              var p = f.properties;
              return {latlng: point(f), zoom: 16, label: p.name || p.category_name,
                      kind: p.name ? p.category_name + (p.village_name ? ', ' + p.village_name : '') : (p.village_name || '')};
            }));
            if (!hits.length) { status.textContent = t.none; found.clearLayers(); return; }
            status.textContent = hits[0].label + (hits[0].kind ? ' (' + hits[0].kind + ')' : '');
            show(hits[0]);
            if (hits.length > 1) {
              hits.forEach(function (hit) {
                var li = document.createElement('li'), b = document.createElement('button');
                b.type = 'button';
                b.textContent = hit.label + (hit.kind ? ' — ' + hit.kind : '');
                b.addEventListener('click', function () { show(hit); status.textContent = b.textContent; });
                li.appendChild(b);
                list.appendChild(li);
              });
            }
          });
        });
        return form;
      }
    });
    new Search().addTo(map);
  }

  function boundaryStyle(feature) {
    return {color: colour(feature.properties.country), weight: 1, fillColor: colour(feature.properties.country), fillOpacity: 0.06};
  }

  function villageMarker(f, el) {
    var p = f.properties, lang = el.dataset.lang || 'nl';
    var m = L.circleMarker([f.geometry.coordinates[1], f.geometry.coordinates[0]], {
      radius: radius(p.population), color: '#fff', weight: 1.5, fillColor: colour(p.country), fillOpacity: 0.85
    });
    var html = '<strong><a href="' + escapeHtml(p.url) + '">' + escapeHtml(p.name) + '</a></strong><br>' +
      escapeHtml(el.dataset.labelMunicipality || '') + ': ' + escapeHtml(p.municipality_name) + ' (' + escapeHtml(p.country) + ')';
    if (p.population != null) { html += '<br>' + numberFormat(p.population, lang) + ' ' + escapeHtml(el.dataset.labelPopulation || ''); }
    m.bindPopup(html);
    m.bindTooltip(escapeHtml(p.name));
    m.feature = f;
    return m;
  }

  // A map fits itself to its data once they arrive, unless someone has moved it meanwhile (a person who zoomed in
  // while the boundaries loaded keeps the view they chose; a phone turned round, which only resizes the map, is not
  // a move). Returns a function that fits and says whether it did.
  function fitUnlessMoved(map) {
    var zoom = map.getZoom(), centre = map.getCenter();
    function moved() {
      return map.getZoom() !== zoom ||
        map.latLngToContainerPoint(centre).distanceTo(map.latLngToContainerPoint(map.getCenter())) > 10;
    }
    return function (bounds, options) {
      bounds = L.latLngBounds(bounds);
      if (!bounds.isValid() || moved()) { return false; }
      map.fitBounds(bounds, options);
      return true;
    };
  }

  function regionMap(el) {
    var lang = el.dataset.lang || 'nl';
    var status = document.getElementById(el.id + '-status');
    function say(msg) { if (status) { status.textContent = msg || ''; } }
    var map = baseMap(el);
    map.fitBounds(REGION_VIEW);
    var fit = fitUnlessMoved(map);
    // One cluster layer per country, drawn in the country's colour, so the border stays visible at every zoom.
    function clusterIcon(country) {
      return function (cluster) {
        var n = cluster.getChildCount();
        var size = n < 10 ? 30 : n < 50 ? 36 : 44;
        return L.divIcon({
          html: '<span>' + n + '</span><span class="visually-hidden"> ' + escapeHtml(el.dataset.labelVillages || '') + '</span>',
          className: 'village-cluster village-cluster-' + country.toLowerCase(), iconSize: L.point(size, size)
        });
      };
    }
    var byCountry = {};
    ['BE', 'FR'].forEach(function (c) {
      byCountry[c] = L.markerClusterGroup({disableClusteringAtZoom: 12, showCoverageOnHover: false, maxClusterRadius: 40,
                                           iconCreateFunction: clusterIcon(c)});
      map.addLayer(byCountry[c]);
    });
    var clusters = {
      clearLayers: function () { Object.keys(byCountry).forEach(function (c) { byCountry[c].clearLayers(); }); },
      addLayers: function (markers) {
        Object.keys(byCountry).forEach(function (c) {
          byCountry[c].addLayers(markers.filter(function (m) { return m.feature.properties.country === c; }));
        });
      },
      getLayers: function () {
        return Object.keys(byCountry).reduce(function (all, c) { return all.concat(byCountry[c].getLayers()); }, []);
      }
    };
    var pending = null;

    say(el.dataset.labelLoading);
    getJSON(withLang(el.dataset.municipalitiesUrl + '?geometry=boundary&simplify=0.0008&limit=2000', lang)).then(function (data) {
      var withBoundary = data.features.filter(function (f) { return f.geometry && f.geometry.type !== 'Point'; });
      var layer = L.geoJSON({type: 'FeatureCollection', features: withBoundary}, {
        style: boundaryStyle,
        onEachFeature: function (f, l) {
          l.bindTooltip(escapeHtml(f.properties.name), {sticky: true});
          l.bindPopup('<strong><a href="' + escapeHtml(f.properties.url) + '">' + escapeHtml(f.properties.name) + '</a></strong>' +
            (f.properties.population != null ? '<br>' + numberFormat(f.properties.population, lang) + ' ' +
              escapeHtml(el.dataset.labelPopulation || '') : ''));
        }
      });
      layer.addTo(map);
      layer.bringToBack();
      el._partonsBoundaries = layer;
      // Municipalities whose boundary is not loaded yet are drawn as a dashed ring at their seat.
      var points = L.geoJSON({type: 'FeatureCollection', features: data.features.filter(function (f) {
        return f.geometry && f.geometry.type === 'Point';
      })}, {
        pointToLayer: function (f, latlng) {
          return L.circleMarker(latlng, {radius: 14, color: colour(f.properties.country), weight: 1.5, dashArray: '4 3',
                                         fill: true, fillOpacity: 0.04});
        },
        onEachFeature: function (f, l) {
          l.bindTooltip(escapeHtml(f.properties.name));
          l.bindPopup('<strong><a href="' + escapeHtml(f.properties.url) + '">' + escapeHtml(f.properties.name) + '</a></strong>');
        }
      }).addTo(map);
      el._partonsMunicipalityPoints = points;
      var bounds = layer.getBounds();
      if (points.getLayers().length) { bounds.extend(points.getBounds()); }
      fit(bounds, {padding: [10, 10]});
      loadVillages();
    }).catch(function () { say(el.dataset.labelError); loadVillages(); });

    var lastVillagesUrl = null;
    function loadVillages() {
      var b = map.getBounds();
      var bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (x) { return x.toFixed(5); }).join(',');
      var url = withLang(el.dataset.villagesUrl + '?limit=2000&bbox=' + bbox, lang);
      if (url === lastVillagesUrl) { return; }  // fitting the map to the boundaries ends with the same view
      lastVillagesUrl = url;
      var token = pending = {};
      getJSON(url).then(function (data) {
        if (token !== pending) { return; }
        clusters.clearLayers();
        clusters.addLayers(data.features.map(function (f) { return villageMarker(f, el); }));
        el.dataset.villagesShown = String(data.numberReturned);
        say(data.numberMatched > data.numberReturned ? el.dataset.labelTooMany : '');
      }).catch(function () { lastVillagesUrl = null; say(el.dataset.labelError); });
    }
    map.on('moveend', loadVillages);
    el._partonsMap = map;
    el._partonsVillages = clusters;
  }

  function placeMap(el) {
    var lang = el.dataset.lang || 'nl';
    var map = baseMap(el);
    map.fitBounds(REGION_VIEW);
    var drawn = L.featureGroup().addTo(map);
    el._partonsDrawn = drawn;
    var bounds = L.latLngBounds([]);
    var point = el.dataset.point ? el.dataset.point.split(',').map(Number) : null;
    if (point) {
      L.circleMarker([point[1], point[0]], {radius: 9, color: '#fff', weight: 2, fillColor: colour(el.dataset.country), fillOpacity: 1})
        .addTo(drawn).bindTooltip(escapeHtml(el.dataset.name), {permanent: true, direction: 'right'});
      bounds.extend([point[1], point[0]]);
      map.setView([point[1], point[0]], 12);
    }
    var fit = fitUnlessMoved(map);
    var jobs = [];
    if (el.dataset.boundaryUrl) {
      jobs.push(getJSON(withLang(el.dataset.boundaryUrl, lang)).then(function (f) {
        if (f.geometry && f.geometry.type !== 'Point') {
          var l = L.geoJSON(f, {style: boundaryStyle}).addTo(drawn);
          bounds.extend(l.getBounds());
        }
      }));
    }
    if (el.dataset.villagesUrl) {
      jobs.push(getJSON(withLang(el.dataset.villagesUrl, lang)).then(function (data) {
        data.features.forEach(function (f) {
          villageMarker(f, el).addTo(drawn);
          bounds.extend([f.geometry.coordinates[1], f.geometry.coordinates[0]]);
        });
      }));
    }
    Promise.all(jobs).then(function () {
      fit(bounds, {padding: [20, 20], maxZoom: 13});
    }).catch(function () { /* the page itself carries the same facts */ });
    el._partonsMap = map;
  }

  function drawBoundaries(map, el, lang) {
    var fit = fitUnlessMoved(map);
    return getJSON(withLang(el.dataset.municipalitiesUrl + '?geometry=boundary&simplify=0.0008&limit=2000', lang)).then(function (data) {
      var layer = L.geoJSON({type: 'FeatureCollection', features: data.features.filter(function (f) {
        return f.geometry && f.geometry.type !== 'Point';
      })}, {style: boundaryStyle, interactive: false}).addTo(map);
      fit(layer.getBounds(), {padding: [10, 10], animate: false});
    });
  }

  function servicesMap(el) {
    var lang = el.dataset.lang || 'nl';
    var form = document.getElementById('service-filters');
    var status = document.getElementById(el.id + '-status');
    // On a phone the long list of categories folds away (the group buttons stay), so that the map comes into view.
    var details = form && form.querySelector('details.category-details');
    if (details && window.matchMedia('(max-width: 50rem)').matches) { details.open = false; }
    var notice = document.getElementById('synthetic-notice');
    var yearInput = document.getElementById('year');
    var yearOutput = document.getElementById('year-output');
    function say(msg) { if (status) { status.textContent = msg || ''; } }
    var map = baseMap(el);
    map.fitBounds(REGION_VIEW);
    var clusters = L.markerClusterGroup({disableClusteringAtZoom: 15, showCoverageOnHover: false, maxClusterRadius: 50,
      chunkedLoading: true,
      iconCreateFunction: function (cluster) {
        var n = cluster.getChildCount();
        return L.divIcon({html: '<span>' + n + '</span><span class="visually-hidden"> ' + escapeHtml(el.dataset.labelServices || '') + '</span>',
                          className: 'service-cluster', iconSize: L.point(n < 100 ? 34 : 42, n < 100 ? 34 : 42)});
      }});
    map.addLayer(clusters);
    var pending = null;
    function params() {
      var cats = Array.prototype.map.call(form.querySelectorAll('input[name=categories]:checked'), function (i) { return i.value; });
      var year = Number(yearInput.value);
      var on = year >= Number(el.dataset.thisYear) ? '' : year + '-01-01';
      return {cats: cats, on: on, all: cats.length === form.querySelectorAll('input[name=categories]').length};
    }
    var perVillage = L.layerGroup().addTo(map);
    function showYear() {
      var atMax = Number(yearInput.value) >= Number(el.dataset.thisYear);
      yearOutput.textContent = atMax ? el.dataset.labelToday : yearInput.value;
    }
    // Start from the filters in the address (?year=2010&categories=bakery,gp), and keep the address and the
    // download links in step with the filters, so a view can be shared and exported as shown.
    (function fromAddress() {
      var q = new URLSearchParams(window.location.search);
      if (q.get('year')) { yearInput.value = q.get('year'); }
      var wanted = (q.get('categories') || '').split(',').filter(Boolean);
      if (wanted.length) {
        form.querySelectorAll('input[name=categories]').forEach(function (i) { i.checked = wanted.indexOf(i.value) >= 0; });
      }
    })();
    function syncAddress(p) {
      var q = new URLSearchParams();
      if (p.on) { q.set('year', yearInput.value); }
      if (!p.all) { q.set('categories', p.cats.join(',')); }
      var search = q.toString();
      window.history.replaceState(null, '', window.location.pathname + (search ? '?' + search : ''));
      var api = new URLSearchParams();
      if (!p.all) { api.set('categories', p.cats.join(',')); }
      if (p.on) { api.set('on', p.on); }
      document.querySelectorAll('a[data-export]').forEach(function (a) {
        a.href = a.dataset.export + (api.toString() ? '?' + api.toString() : '');
      });
    }
    function load() {
      var p = params();
      showYear();
      syncAddress(p);
      if (window.partonsChart) { window.partonsChart.show(p.all || !p.cats.length ? '' : 'categories=' + p.cats.join(',')); }
      el.dataset.loaded = 'false';
      say('');
      if (!p.cats.length) { clusters.clearLayers(); perVillage.clearLayers(); el.dataset.shown = '0'; el.dataset.loaded = 'true'; return; }
      var b = map.getBounds();
      var bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (x) { return x.toFixed(5); }).join(',');
      var query = '&bbox=' + bbox + (p.all ? '' : '&categories=' + p.cats.join(',')) + (p.on ? '&on=' + p.on : '');
      var token = pending = {};
      if (map.getZoom() < VILLAGE_ZOOM) {
        // A large area: one circle per village with its number of services (every service counted, none left out).
        getJSON(withLang(el.dataset.facilitiesUrl + '/by-village?limit=1' + query, lang)).then(function (data) {
          if (token !== pending) { return; }
          clusters.clearLayers();
          perVillage.clearLayers();
          data.features.forEach(function (f) {
            var q = f.properties;
            var m = L.circleMarker([f.geometry.coordinates[1], f.geometry.coordinates[0]], {
              radius: Math.max(5, Math.min(22, 3 + Math.sqrt(q.count) * 2)), color: '#fff', weight: 1.5,
              fillColor: colour(q.country), fillOpacity: 0.8});
            m.bindTooltip(escapeHtml(q.name) + ': ' + q.count);
            m.bindPopup('<strong><a href="' + escapeHtml(q.url) + '">' + escapeHtml(q.name) + '</a></strong><br>' + q.count + ' ' +
                        escapeHtml(el.dataset.labelServices || '') + '<br><em>' + escapeHtml(el.dataset.labelZoomFor || '') + '</em>');
            m.feature = f;
            perVillage.addLayer(m);
          });
          el.dataset.mode = 'villages';
          el.dataset.shown = String(data.numberMatched);
          el.dataset.loaded = 'true';
        }).catch(function () { say(el.dataset.labelError); });
        return;
      }
      var url = el.dataset.facilitiesUrl + '?compact=true&limit=5000' + query;
      getJSON(withLang(url, lang)).then(function (data) {
        if (token !== pending) { return; }
        perVillage.clearLayers();
        el.dataset.mode = 'services';
        clusters.clearLayers();
        clusters.addLayers(data.features.map(function (f) {
          var q = f.properties;
          var m = L.marker([f.geometry.coordinates[1], f.geometry.coordinates[0]], {
            keyboard: false, title: q.name || q.category_name,
            icon: L.divIcon({className: 'service-marker service-' + (q.country || 'x').toLowerCase(), html: escapeHtml(q.symbol || ''),
                             iconSize: L.point(24, 24)})
          });
          m.bindPopup('<strong><a href="' + escapeHtml(q.url) + '">' + escapeHtml(q.name || q.category_name) + '</a></strong><br>' +
            escapeHtml(q.category_name) + (q.village_name ? ' — ' + escapeHtml(q.village_name) : '') +
            (q.synthetic ? '<br><em>' + escapeHtml(el.dataset.labelSynthetic) + '</em>' : ''));
          m.feature = f;
          return m;
        }));
        el.dataset.shown = String(data.numberReturned);
        el.dataset.loaded = 'true';
        if (notice) { notice.hidden = !data.containsSynthetic; }
        say(data.numberMatched > data.numberReturned ? el.dataset.labelTooMany : '');
      }).catch(function () { say(el.dataset.labelError); });
    }
    form.addEventListener('change', load);
    form.addEventListener('submit', function (e) { e.preventDefault(); load(); });
    yearInput.addEventListener('input', showYear);
    form.querySelectorAll('button[data-group]').forEach(function (btn) {
      btn.addEventListener('click', function () {
        var wanted = btn.dataset.group === '*' ? null : btn.dataset.group.split(',');
        form.querySelectorAll('input[name=categories]').forEach(function (i) { i.checked = !wanted || wanted.indexOf(i.value) >= 0; });
        load();
      });
    });
    // Village names come with the base map (drawn or tiles).
    drawBoundaries(map, el, lang).catch(function () {}).then(function () {
      map.on('moveend', load);
      el.dataset.ready = 'true';
      load();
    });
    el._partonsMap = map;
    el._partonsServices = clusters;
  }

  function pickMap(el) {
    var map = baseMap(el);
    var lon = document.getElementById('id_lon'), lat = document.getElementById('id_lat');
    var marker = null;
    function place(latlng) {
      if (marker) { marker.setLatLng(latlng); } else {
        marker = L.circleMarker(latlng, {radius: 9, color: '#fff', weight: 2, fillColor: FR, fillOpacity: 1}).addTo(map);
      }
    }
    if (lon && lat && lon.value && lat.value) {
      place([Number(lat.value), Number(lon.value)]);
      map.setView([Number(lat.value), Number(lon.value)], 15);
    } else if (el.dataset.point) {
      var p = el.dataset.point.split(',').map(Number);
      L.circleMarker([p[1], p[0]], {radius: 7, color: '#fff', weight: 2, fillColor: BE, fillOpacity: 1}).addTo(map);
      map.setView([p[1], p[0]], 15);
    } else {
      map.fitBounds(REGION_VIEW);
    }
    // Something to find one's way by: municipality boundaries and the villages, named.
    if (el.dataset.municipalitiesUrl) {
      getJSON(withLang(el.dataset.municipalitiesUrl + '?geometry=boundary&simplify=0.0008&limit=2000', el.dataset.lang || 'nl'))
        .then(function (data) {
          L.geoJSON({type: 'FeatureCollection', features: data.features.filter(function (f) {
            return f.geometry && f.geometry.type !== 'Point';
          })}, {style: boundaryStyle, interactive: false}).addTo(map);
        }).catch(function () {});
    }
    // Choosing a village moves the map there (the places of the villages come with the form).
    var points = document.getElementById('village-points'), village = document.getElementById('id_village');
    if (points && village) {
      var where = JSON.parse(points.textContent);
      village.addEventListener('change', function () {
        var p = where[village.value];
        if (p) { map.setView([p[1], p[0]], Math.max(map.getZoom(), 13)); }
      });
      if (!(lon && lon.value) && where[village.value]) {
        map.setView([where[village.value][1], where[village.value][0]], 13);
      }
    }
    map.on('click', function (e) {
      if (!lon || !lat) { return; }
      lon.value = e.latlng.lng.toFixed(6);
      lat.value = e.latlng.lat.toFixed(6);
      place(e.latlng);
    });
    el._partonsMap = map;
  }

  window.partonsMaps = {baseMap: baseMap, getJSON: getJSON, escapeHtml: escapeHtml, numberFormat: numberFormat,
                        withLang: withLang, colour: colour, radius: radius, regionView: REGION_VIEW,
                        fitUnlessMoved: fitUnlessMoved};

  function init() {
    if (typeof L === 'undefined') { return; }
    document.querySelectorAll('#region-map').forEach(regionMap);
    document.querySelectorAll('#village-map, #municipality-map, #facility-map, #report-detail-map, #idea-place-map, #application-map').forEach(placeMap);
    document.querySelectorAll('#services-map').forEach(servicesMap);
    document.querySelectorAll('#report-map, #idea-map').forEach(pickMap);
  }
  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', init); } else { init(); }
})();
