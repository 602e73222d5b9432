/**
 * The frame of conformance.html and matrix.html: one self-contained page with inline CSS and JS.
 *
 * The page never loads anything: a Content-Security-Policy with `default-src 'none'` allows only
 * this style sheet and this script, by hash, so it works offline, cannot call home, and even a
 * response body that escaped the escaping could not run script. All content is rendered on the
 * server side as escaped HTML; the script only shows and hides rows.
 */
import { createHash } from 'node:crypto';
import { escapeMarkup } from './present.ts';

export const h = escapeMarkup;

const STYLE = `
:root {
  --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --panel: #f6f8fa; --code-bg: #f6f8fa;
  --pass-bg: #dafbe1; --pass-fg: #116329; --pass-bar: #1a7f37;
  --fail-bg: #ffebe9; --fail-fg: #a40e26; --fail-bar: #cf222e;
  --error-bg: #fff1e5; --error-fg: #953800; --error-bar: #bc4c00;
  --nx-bg: #eef1f4; --nx-fg: #424a53; --nx-bar: #818b98;
  --nr-bg: #ffffff; --nr-fg: #6e7781; --nr-bar: #d1d9e0;
  --accent: #0969da;
  font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif;
  font-size: 14px; line-height: 1.5; color: var(--fg); background: var(--bg);
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --line: #30363d; --panel: #151b23; --code-bg: #151b23;
    --pass-bg: #12261e; --pass-fg: #56d364; --fail-bg: #2d1214; --fail-fg: #ff7b72;
    --error-bg: #2b1d0e; --error-fg: #f0883e; --nx-bg: #212830; --nx-fg: #b7bdc8; --nr-bg: #0d1117; --nr-fg: #9198a1;
    --accent: #4493f8;
  }
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; }
.page { max-width: 1280px; margin: 0 auto; padding: 24px 32px 48px; }
header.page-head { display: flex; gap: 24px; align-items: flex-start; justify-content: space-between; border-bottom: 1px solid var(--line); padding-bottom: 16px; }
h1 { font-size: 24px; margin: 0 0 4px; font-weight: 600; }
h2 { font-size: 18px; margin: 32px 0 12px; font-weight: 600; }
.subtitle { color: var(--muted); margin: 0; }
.verdict { border-radius: 8px; padding: 10px 18px; text-align: right; min-width: 220px; border: 1px solid transparent; }
.verdict .label { display: block; font-size: 12px; text-transform: uppercase; letter-spacing: .06em; opacity: .8; }
.verdict strong { font-size: 22px; letter-spacing: .02em; }
.verdict-conformant { background: var(--pass-bg); color: var(--pass-fg); border-color: var(--pass-bar); }
.verdict-nonconformant { background: var(--fail-bg); color: var(--fail-fg); border-color: var(--fail-bar); }
.verdict-error { background: var(--error-bg); color: var(--error-fg); border-color: var(--error-bar); }
.reason { margin: 16px 0 0; font-size: 15px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 16px 0 0; padding: 12px 16px; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
code, pre { font-family: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace; font-size: 12.5px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; background: var(--panel); position: sticky; top: 0; z-index: 1; }
table.counts { width: auto; min-width: 60%; }
table.counts td.n, table.counts th.n { text-align: right; font-variant-numeric: tabular-nums; }
table.counts td.zero { color: var(--muted); }
.pill { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600; white-space: nowrap; border: 1px solid transparent; }
.s-pass { background: var(--pass-bg); color: var(--pass-fg); }
.s-fail { background: var(--fail-bg); color: var(--fail-fg); }
.s-error { background: var(--error-bg); color: var(--error-fg); }
.s-not-exercisable, .s-observed { background: var(--nx-bg); color: var(--nx-fg); }
.s-not-run, .s-absent { background: var(--nr-bg); color: var(--nr-fg); border: 1px dashed var(--nr-bar); }
.level { font-size: 11px; font-weight: 700; letter-spacing: .04em; color: var(--muted); }
.level-MUST { color: var(--fg); }
tr.req > td:first-child { border-left: 4px solid var(--nr-bar); font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; white-space: nowrap; }
tr.req[data-status="pass"] > td:first-child { border-left-color: var(--pass-bar); }
tr.req[data-status="fail"] > td:first-child { border-left-color: var(--fail-bar); }
tr.req[data-status="error"] > td:first-child { border-left-color: var(--error-bar); }
tr.req[data-status="not-exercisable"] > td:first-child { border-left-color: var(--nx-bar); }
tr.req:hover > td { background: var(--panel); }
tr.detail > td { background: var(--panel); padding: 12px 16px 16px 24px; }
a { color: var(--accent); }
.cell { text-align: center; }
th.column { vertical-align: bottom; min-width: 140px; max-width: 260px; }
.column-label { display: block; font-weight: 600; font-size: 12px; margin-bottom: 4px; overflow-wrap: anywhere; }
ul.columns { list-style: none; padding-left: 0; }
ul.columns li { margin: 4px 0; }
.toolbar { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 20px; padding: 10px 12px; margin-bottom: 8px; border: 1px solid var(--line); border-radius: 8px; background: var(--panel); }
.toolbar fieldset { border: 0; margin: 0; padding: 0; display: flex; gap: 12px; align-items: center; }
.toolbar legend { float: left; margin-right: 8px; color: var(--muted); }
.toolbar label { cursor: pointer; user-select: none; }
.toolbar .count { margin-left: auto; color: var(--muted); }
button { font: inherit; font-size: 12px; padding: 2px 10px; border-radius: 6px; border: 1px solid var(--line); background: var(--bg); color: var(--fg); cursor: pointer; }
button:hover { border-color: var(--accent); color: var(--accent); }
button:focus-visible, input:focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; }
.empty { padding: 16px; color: var(--muted); text-align: center; }
blockquote { margin: 0 0 10px; padding: 4px 12px; border-left: 3px solid var(--line); color: var(--muted); }
ul.messages { margin: 6px 0 10px; padding-left: 18px; }
ul.messages li { margin: 2px 0; }
.meta { color: var(--muted); font-size: 12px; }
details.exchange { margin: 8px 0; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); }
details.exchange > summary { cursor: pointer; padding: 6px 10px; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; overflow-wrap: anywhere; }
details.exchange[open] > summary { border-bottom: 1px solid var(--line); }
.exchange-body { padding: 8px 10px; }
.exchange-body h4 { margin: 8px 0 4px; font-size: 12px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
pre { margin: 0; padding: 8px 10px; background: var(--code-bg); border: 1px solid var(--line); border-radius: 6px; white-space: pre-wrap; overflow-wrap: anywhere; max-height: 24rem; overflow: auto; }
ul.plain { margin: 4px 0; padding-left: 18px; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 16px; margin: 8px 0 0; color: var(--muted); font-size: 12px; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line); padding-top: 12px; }
`;

const SCRIPT = `
(function () {
  'use strict';
  var failedOnly = document.getElementById('failed-only');
  var levelBoxes = Array.prototype.slice.call(document.querySelectorAll('input.level-filter'));
  var rows = Array.prototype.slice.call(document.querySelectorAll('tr.req'));
  var counter = document.getElementById('shown-count');
  var empty = document.getElementById('no-rows');
  function detailOf(row) { return row.dataset.detail ? document.getElementById(row.dataset.detail) : null; }
  function toggleOf(row) { return row.querySelector('button.toggle'); }
  function setOpen(row, open) {
    var button = toggleOf(row);
    var detail = detailOf(row);
    if (!button || !detail) return;
    button.setAttribute('aria-expanded', open ? 'true' : 'false');
    button.textContent = open ? 'Hide' : 'Details';
    detail.hidden = !open || row.hidden;
  }
  function apply() {
    var levels = {};
    levelBoxes.forEach(function (box) { levels[box.value] = box.checked; });
    var shown = 0;
    rows.forEach(function (row) {
      var visible = levels[row.dataset.level] !== false && (!failedOnly || !failedOnly.checked || row.dataset.failed === 'true');
      row.hidden = !visible;
      var button = toggleOf(row);
      var detail = detailOf(row);
      if (detail) detail.hidden = !visible || !button || button.getAttribute('aria-expanded') !== 'true';
      if (visible) shown += 1;
    });
    if (counter) counter.textContent = shown + ' of ' + rows.length + ' requirements shown';
    if (empty) empty.hidden = shown !== 0;
  }
  if (failedOnly) failedOnly.addEventListener('change', apply);
  levelBoxes.forEach(function (box) { box.addEventListener('change', apply); });
  rows.forEach(function (row) {
    var button = toggleOf(row);
    if (button) button.addEventListener('click', function () { setOpen(row, button.getAttribute('aria-expanded') !== 'true'); });
  });
  function expandAll(open) {
    rows.forEach(function (row) { if (!row.hidden && (!open || row.dataset.failed === 'true')) setOpen(row, open); });
  }
  var expand = document.getElementById('expand-failures');
  var collapse = document.getElementById('collapse-all');
  if (expand) expand.addEventListener('click', function () { expandAll(true); });
  if (collapse) collapse.addEventListener('click', function () { expandAll(false); });
  apply();
  // Links such as #CI-013 open that requirement, clearing filters that would hide it.
  function openFromHash() {
    var row = location.hash ? document.getElementById('req-' + location.hash.slice(1)) : null;
    if (!row) return;
    if (row.hidden) {
      if (failedOnly) failedOnly.checked = false;
      levelBoxes.forEach(function (box) { box.checked = true; });
      apply();
    }
    setOpen(row, true);
    row.scrollIntoView();
  }
  window.addEventListener('hashchange', openFromHash);
  openFromHash();
})();
`;

function cspHash(source: string): string {
  return `'sha256-${createHash('sha256').update(source, 'utf8').digest('base64')}'`;
}

export function htmlPage(title: string, body: string): string {
  const csp = `default-src 'none'; style-src ${cspHash(STYLE)}; script-src ${cspHash(SCRIPT)}; img-src data:; base-uri 'none'; form-action 'none'`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${h(csp)}">
<meta name="referrer" content="no-referrer">
<title>${h(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<div class="page">
${body}
</div>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
