// The print links follow the map's filters as they are now: the services map keeps them in the address as they
// change (without reloading), so each link takes the filters it knows from the address when it is followed.
(function () {
  'use strict';
  document.addEventListener('click', function (event) {
    var link = event.target.closest ? event.target.closest('a[data-print][data-filters]') : null;
    if (!link) { return; }
    var names = link.getAttribute('data-filters').split(' ').filter(Boolean);
    var current = new URLSearchParams(window.location.search);
    var url = new URL(link.href, window.location.href);
    var params = new URLSearchParams();
    names.forEach(function (name) {
      current.getAll(name).forEach(function (value) { if (value) { params.append(name, value); } });
    });
    params.set('size', url.searchParams.get('size') || 'a4');
    if (url.searchParams.get('orientation')) { params.set('orientation', url.searchParams.get('orientation')); }
    link.href = url.pathname + '?' + params.toString();
  });
}());
