// detente site: search without a server and the "as of a date" page.
// Plain DOM code, no libraries; every string from the data is inserted
// with textContent, never as markup. Pages work without this script.
(function () {
  'use strict';

  var root = document.body.getAttribute('data-root') || '';
  var index = window.DETENTE_SEARCH || { pairs: {}, entries: [] };

  // The same folding as `detente find` (and as the index, folded in Rust):
  // compatibility decomposition, combining marks dropped, lower case, the
  // index's character pairs applied, full stops removed, everything but
  // letters and digits a space, spaces collapsed.
  function fold(s) {
    var t = s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
    var out = '';
    for (var ch of t) {
      out += Object.prototype.hasOwnProperty.call(index.pairs, ch) ? index.pairs[ch] : ch;
    }
    out = out.replace(/\./g, '').replace(/[^\p{Alphabetic}\p{N}]/gu, ' ');
    return out.split(/\s+/).filter(function (w) { return w.length > 0; }).join(' ');
  }
  window.detenteFold = fold;

  // The ranks `detente find` gives a real match (near misses are the
  // command line's alone).
  function score(q, t) {
    if (!t) return 0;
    if (t === q) return 100;
    if (t.indexOf(q) === 0) return 90;
    if (t.split(' ').some(function (w) { return w.indexOf(q) === 0; }) || t.indexOf(' ' + q) >= 0) return 80;
    if (t.indexOf(q) >= 0) return 70;
    var words = q.split(' ');
    if (words.length > 1 && words.every(function (w) { return t.indexOf(w) >= 0; })) return 60;
    return 0;
  }

  function search(text, limit) {
    var q = fold(text);
    if (!q) return [];
    var hits = [];
    index.entries.forEach(function (e) {
      var best = null;
      e.texts.forEach(function (f) {
        var s = score(q, f[2]);
        if (s > 0 && (best === null || s > best.score)) best = { score: s, field: f[0], text: f[1] };
      });
      if (best) hits.push({ entry: e, score: best.score, field: best.field, text: best.text });
    });
    hits.sort(function (a, b) {
      return b.score - a.score || (a.entry.id < b.entry.id ? -1 : a.entry.id > b.entry.id ? 1 : 0);
    });
    return hits.slice(0, limit);
  }
  window.detenteSearch = search;

  function show(list, hits, text) {
    list.textContent = '';
    if (!text.trim()) { list.hidden = true; return; }
    if (hits.length === 0) {
      var none = document.createElement('li');
      none.textContent = 'Nothing found for \u201c' + text + '\u201d.';
      list.appendChild(none);
    }
    hits.forEach(function (h) {
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = root + 'entity/' + h.entry.id + '/index.html';
      a.textContent = h.entry.name;
      li.appendChild(a);
      var kind = document.createElement('span');
      kind.className = 'kind';
      kind.textContent = ' ' + h.entry.kind;
      li.appendChild(kind);
      if (h.field !== 'name') {
        var via = document.createElement('span');
        via.className = 'via';
        var lang = h.field.indexOf('names.') === 0 ? h.field.slice(6) : null;
        var t = document.createElement('span');
        t.textContent = h.text;
        if (lang) t.lang = lang;
        via.appendChild(document.createTextNode(' \u00b7 '));
        via.appendChild(t);
        li.appendChild(via);
      }
      list.appendChild(li);
    });
    list.hidden = false;
  }

  document.querySelectorAll('input[data-search]').forEach(function (input) {
    var target = input.getAttribute('data-results');
    var list = target ? document.getElementById(target) : input.form.querySelector('.search-results');
    var limit = target ? 50 : 8;
    var run = function () { show(list, search(input.value, limit), input.value); };
    input.addEventListener('input', run);
    if (target) {
      var q = new URLSearchParams(window.location.search).get('q');
      if (q) { input.value = q; run(); }
    }
  });

  // "As of a date": the same three-valued reading as `detente active`.
  var form = document.getElementById('as-of-form');
  if (!form) return;
  var input = document.getElementById('as-of-date');
  var slider = document.getElementById('as-of-year');
  var shown = document.getElementById('as-of-shown');
  var error = document.getElementById('as-of-error');
  var lists = {
    definitely: document.getElementById('as-of-definitely'),
    possibly: document.getElementById('as-of-possibly'),
    not: document.getElementById('as-of-not')
  };
  var items = Array.prototype.slice.call(document.querySelectorAll('li[data-order]'));
  items.sort(function (a, b) { return a.dataset.order - b.dataset.order; });
  var months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  var DAY = 86400000;

  // [first day, last day, words] of `2016`, `2016-06` or `2016-06-01`.
  function period(text) {
    var m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(text.trim());
    if (!m) return null;
    var y = +m[1];
    if (!m[2]) return [Date.UTC(y, 0, 1) / DAY, Date.UTC(y, 11, 31) / DAY, m[1]];
    var mo = +m[2];
    if (mo < 1 || mo > 12) return null;
    var last = new Date(Date.UTC(y, mo, 0)).getUTCDate();
    if (!m[3]) return [Date.UTC(y, mo - 1, 1) / DAY, Date.UTC(y, mo - 1, last) / DAY, months[mo - 1] + ' ' + y];
    var d = +m[3];
    if (d < 1 || d > last) return null;
    var day = Date.UTC(y, mo - 1, d) / DAY;
    return [day, day, d + ' ' + months[mo - 1] + ' ' + y];
  }

  function update() {
    var p = period(input.value);
    if (!p) {
      error.textContent = 'Write a year (2016), a month (2016-06) or a day (2016-06-01).';
      return;
    }
    error.textContent = '';
    var q0 = p[0], q1 = p[1];
    items.forEach(function (li) {
      var s0 = +li.dataset.s0, s1 = +li.dataset.s1, e0 = +li.dataset.e0, e1 = +li.dataset.e1;
      var which = (s1 <= q0 && q1 <= e0) ? 'definitely' : (s0 <= q1 && q0 <= e1) ? 'possibly' : 'not';
      lists[which].appendChild(li);
    });
    ['definitely', 'possibly'].forEach(function (k) {
      document.getElementById('as-of-' + k + '-none').hidden = lists[k].children.length > 0;
    });
    shown.textContent = p[2];
    slider.value = input.value.slice(0, 4);
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, '', '#' + input.value.trim());
    }
  }

  form.hidden = false;
  form.addEventListener('submit', function (e) { e.preventDefault(); update(); });
  input.addEventListener('change', update);
  input.addEventListener('input', function () { if (period(input.value)) update(); });
  slider.addEventListener('input', function () { input.value = slider.value; update(); });
  var hash = decodeURIComponent(window.location.hash.slice(1));
  if (period(hash)) { input.value = hash; update(); }
})();
