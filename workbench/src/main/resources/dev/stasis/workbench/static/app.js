// The workbench's only script (the CSP allows no inline script): a loading indicator for slow
// requests, clickable event rows and keyboard navigation of the event table.
(function () {
  'use strict';
  var loading = document.getElementById('loading');
  var timer = null;
  function busy() {
    if (timer || !loading) return;
    // only what takes more than a moment gets the indicator
    timer = setTimeout(function () { loading.hidden = false; }, 200);
  }
  window.addEventListener('pageshow', function () {
    if (timer) { clearTimeout(timer); timer = null; }
    if (loading) loading.hidden = true;
  });
  document.addEventListener('submit', busy);
  document.addEventListener('click', function (e) {
    var a = e.target.closest ? e.target.closest('a') : null;
    if (a && a.getAttribute('href') && a.getAttribute('href').charAt(0) !== '#' && !e.ctrlKey && !e.metaKey && !e.shiftKey) busy();
    var tr = e.target.closest ? e.target.closest('tr[data-href]') : null;
    if (tr && !a) { busy(); window.location.href = tr.getAttribute('data-href'); }
  });

  var table = document.getElementById('events');
  if (!table) return;
  var rows = Array.prototype.slice.call(table.querySelectorAll('tbody tr[data-href]'));
  var current = rows.findIndex(function (r) { return r.classList.contains('selected'); });
  function mark(i) {
    if (i < 0 || i >= rows.length) return;
    if (current >= 0 && rows[current]) rows[current].classList.remove('cursor');
    current = i;
    rows[i].classList.add('cursor');
    rows[i].scrollIntoView({block: 'nearest'});
  }
  function go(rel) {
    var link = document.querySelector('nav.pager a[rel="' + rel + '"]');
    if (link) { busy(); window.location.href = link.getAttribute('href'); }
  }
  document.addEventListener('keydown', function (e) {
    var tag = (e.target.tagName || '').toLowerCase();
    if (tag === 'input' || tag === 'textarea' || tag === 'select' || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === 'j' || e.key === 'ArrowDown') {
      e.preventDefault();
      if (current + 1 < rows.length) { busy(); window.location.href = rows[current + 1].getAttribute('data-href'); } else go('next');
    } else if (e.key === 'k' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (current > 0) { busy(); window.location.href = rows[current - 1].getAttribute('data-href'); } else if (current < 0 && rows.length) mark(0); else go('prev');
    } else if (e.key === 'n' || e.key === 'PageDown') { e.preventDefault(); go('next'); }
    else if (e.key === 'p' || e.key === 'PageUp') { e.preventDefault(); go('prev'); }
    else if (e.key === '/') { var f = document.getElementById('filter'); if (f) { e.preventDefault(); f.focus(); f.select(); } }
  });
  if (current >= 0) mark(current);
})();
