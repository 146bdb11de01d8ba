// The print links follow the map's filters as they are now: the services map keeps them in the address as they
// change (without reloading), so each link takes the filters it knows from the address when it is followed.
// Drawing a print takes a few seconds: the link's status line says so, then the file is saved; a print that cannot
// be drawn (too many in a short time, a filter the server refuses) is said there too, instead of a failed download.
(function () {
  'use strict';
  if (window.partonsPrintExport) { return; }  // the script may be on a page twice (a map and a dossier)
  window.partonsPrintExport = true;

  function withFilters(link) {
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
  }

  function filename(response, link) {
    var match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(response.headers.get('Content-Disposition') || '');
    return match ? decodeURIComponent(match[1]) : link.pathname.split('/').pop();
  }

  document.addEventListener('click', function (event) {
    var link = event.target.closest ? event.target.closest('a[data-print]') : null;
    if (!link) { return; }
    if (link.hasAttribute('data-filters')) { withFilters(link); }
    var box = link.closest('.print-export');
    var status = box && box.querySelector('.print-status');
    var modified = event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey;
    if (!status || modified || !window.fetch || !window.URL || !URL.createObjectURL || link.dataset.busy) {
      return;  // the browser follows the link itself (a new tab or window when asked for)
    }
    event.preventDefault();
    link.dataset.busy = 'true';
    link.setAttribute('aria-busy', 'true');
    status.classList.remove('print-refused');
    status.textContent = box.dataset.labelDrawing || '';
    fetch(link.href, {credentials: 'same-origin'}).then(function (response) {
      if (!response.ok) {
        return response.text().then(function (text) {
          var type = response.headers.get('Content-Type') || '';
          status.textContent = (type.indexOf('text/plain') === 0 && text.length < 500 ? text : '') ||
            box.dataset.labelFailed || '';
          status.classList.add('print-refused');
        });
      }
      return response.blob().then(function (blob) {
        var save = document.createElement('a');
        save.href = URL.createObjectURL(blob);
        save.download = filename(response, link);
        save.hidden = true;
        document.body.appendChild(save);
        save.click();
        setTimeout(function () { URL.revokeObjectURL(save.href); save.remove(); }, 1000);
        status.textContent = (box.dataset.labelSaved || '') + ' ' + save.download;
      });
    }).catch(function () {
      status.textContent = box.dataset.labelFailed || '';
      status.classList.add('print-refused');
    }).then(function () {
      delete link.dataset.busy;
      link.removeAttribute('aria-busy');
    });
  });
}());
