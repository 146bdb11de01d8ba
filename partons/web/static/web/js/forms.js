/* Long lists become searchable (Tom Select, served by the app): type a few letters of a village or an idea and pick
   it; the plain select stays underneath and is what the form sends (without JavaScript it is used as it is).
   A select with data-search-url finds its options through the open-data API (an idea box may hold thousands). */
(function () {
  'use strict';
  function escapeHtml(s) {
    return String(s == null ? '' : s).replace(/[&<>"']/g, function (c) {
      return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c];
    });
  }
  function enhance(el) {
    var options = {
      plugins: el.multiple ? ['remove_button'] : [], maxOptions: null, hidePlaceholder: true,
      placeholder: el.dataset.placeholder || '',
      render: {
        no_results: function () { return '<div class="no-results">' + escapeHtml(el.dataset.noResults || '') + '</div>'; },
        option_create: function () { return ''; }
      }
    };
    if (el.multiple) {
      // After a choice the typed words go and the list closes: the next name is typed afresh, and the form does not
      // move under the pointer when the list closes later.
      options.closeAfterSelect = true;
      options.onItemAdd = function () { this.setTextboxValue(''); this.refreshOptions(false); };
    }
    if (el.dataset.searchUrl) {
      options.valueField = 'value';
      options.labelField = 'text';
      options.searchField = ['text'];
      options.shouldLoad = function (query) { return query.length >= 2; };
      options.load = function (query, callback) {
        var url = el.dataset.searchUrl + (el.dataset.searchUrl.indexOf('?') >= 0 ? '&' : '?') + 'limit=20&q=' +
          encodeURIComponent(query) + '&lang=' + encodeURIComponent(document.documentElement.lang || 'nl');
        fetch(url, {headers: {'Accept': 'application/json'}}).then(function (r) { return r.json(); }).then(function (data) {
          callback((data.features || []).map(function (f) {
            return {value: String(f.id), text: '#' + f.id + ' ' + f.properties.title +
              (f.properties.village_name ? ' — ' + f.properties.village_name : '')};
          }));
        }).catch(function () { callback(); });
      };
    }
    var label = el.id ? document.querySelector('label[for="' + el.id + '"]') : null;
    new TomSelect(el, options);
    // The label now names the searchable box; the plain select underneath keeps a name of its own.
    if (label) { el.setAttribute('aria-label', label.textContent.replace(/:\s*$/, '').trim()); }
  }
  function init() {
    if (typeof TomSelect === 'undefined') { return; }
    document.querySelectorAll('select[data-search]').forEach(enhance);
  }
  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', init); } else { init(); }
}());
