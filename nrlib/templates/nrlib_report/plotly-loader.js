/* Draws the report's charts with the plotly.js bundle that the page carries packed (nrlib/reports/bundle.py).

   The bundle is the text of the inert script element #nrlib-plotly (type application/octet-stream):
   gzip, written in base 85 (the alphabet is its data-alphabet). This script runs before any chart and puts a placeholder at
   window.Plotly whose newPlot waits: the charts' own scripts (plotly.py's to_html output, further down the
   page) call it as the page is read. Meanwhile the text is decoded, inflated by the browser's
   DecompressionStream and run as a script, which sets the real window.Plotly; then what was given to
   nrlibAfterPlotly runs (the Vietnamese locale), then the waiting charts are drawn, in page order. A chart
   met after that is drawn by the real Plotly at once. Nothing is fetched.

   Where the browser cannot inflate the bundle (no DecompressionStream), each chart's place shows
   data-message-unsupported instead; where the bundle fails to run, data-message-failed (both from
   nrlib/core/labels.py). Nothing is thrown at the page: ES5 only, so that a browser too old for the
   charts still runs this and shows the message. */
(function () {
  'use strict';
  var source = document.getElementById('nrlib-plotly');

  function show(id, text) {
    var div = document.getElementById(id);
    if (!div || div.getAttribute('data-nrlib-unavailable')) {
      return;
    }
    var note = document.createElement('p');
    note.className = 'chart-unavailable';
    note.appendChild(document.createTextNode(text));
    div.setAttribute('data-nrlib-unavailable', '1');
    div.appendChild(note);
    // the chart's height (on its div and plotly's wrapper, up to the report's .chart box) is not the message's
    for (var el = div; el && el.style && el !== document.body; el = el.parentNode) {
      if ((' ' + el.className + ' ').indexOf(' chart ') >= 0) {
        break;
      }
      el.style.height = 'auto';
    }
  }

  var supported = typeof window.DecompressionStream === 'function' && typeof window.Promise === 'function' &&
    typeof window.Response === 'function' && typeof window.Blob === 'function' &&
    typeof window.Uint8Array === 'function' && !!window.Blob.prototype.stream;
  if (!supported) {
    var unsupported = source.getAttribute('data-message-unsupported');
    window.Plotly = { newPlot: function (id) { show(id, unsupported); } };
    window.nrlibAfterPlotly = function () {};
    return;
  }

  // base 85, big-endian groups of 5 digits -> 4 bytes; whitespace (the line breaks) skipped
  function decode(text, alphabet, length) {
    var value = new Int16Array(128);
    var i;
    for (i = 0; i < 128; i++) {
      value[i] = -1;
    }
    for (i = 0; i < alphabet.length; i++) {
      value[alphabet.charCodeAt(i)] = i;
    }
    var out = new Uint8Array(Math.ceil(text.length / 5) * 4);
    var n = 0, group = 0, digits = 0;
    for (i = 0; i < text.length; i++) {
      var code = text.charCodeAt(i);
      var d = code < 128 ? value[code] : -1;
      if (d < 0) {
        if (code > 32) {
          throw new Error('nrlib: unexpected character in the packed plotly.js at ' + i);
        }
        continue;
      }
      group = group * 85 + d;  // at most 85^5 - 1: exact in a double
      if (++digits === 5) {
        out[n++] = group >>> 24;
        out[n++] = group >>> 16 & 255;
        out[n++] = group >>> 8 & 255;
        out[n++] = group & 255;
        group = 0;
        digits = 0;
      }
    }
    if (n < length) {
      throw new Error('nrlib: the packed plotly.js is cut short (' + n + ' of ' + length + ' bytes)');
    }
    return out.subarray(0, length);
  }

  var placeholder;
  var ready = Promise.resolve().then(function () {
    var bytes = decode(source.textContent, source.getAttribute('data-alphabet'),
                       Number(source.getAttribute('data-bytes')));
    var stream = new Blob([bytes]).stream().pipeThrough(new window.DecompressionStream('gzip'));
    return new Response(stream).text();
  }).then(function (code) {
    var script = document.createElement('script');
    script.textContent = code;
    document.head.appendChild(script);  // runs it now, in the global scope, as an inline script would
    if (!window.Plotly || window.Plotly === placeholder || typeof window.Plotly.newPlot !== 'function') {
      throw new Error('nrlib: plotly.js did not start');
    }
    return window.Plotly;
  });
  ready.then(null, function (error) {
    if (window.console) {
      window.console.error(error);
    }
  });

  var failed = source.getAttribute('data-message-failed');
  placeholder = {
    newPlot: function (id) {
      var args = arguments;
      return ready.then(function (Plotly) { return Plotly.newPlot.apply(Plotly, args); },
                        function () { show(id, failed); });
    }
  };
  window.Plotly = placeholder;
  // fn(Plotly) runs once plotly.js has started, before any chart is drawn; never if it fails
  window.nrlibAfterPlotly = function (fn) {
    ready.then(fn, function () {});
  };
})();
