/**
 * The report as one self-contained HTML file: opens offline from the file system, makes no
 * network request (plotly.js inlined, figures embedded as JSON, and a Content-Security-Policy
 * that forbids fetching anything), and escapes every piece of user text.
 */
import { escapeHtml as h, escapePlotlyText, jsonForScript } from './escape.ts';
import { CATEGORY_COLORS, colorChoicesOf, type Figure } from './figures.ts';
import type { ReportModel } from './model.ts';
import { plotlyBundle, plotlyVersion } from './plotly-bundle.ts';
import { problemSections, type Section, type SectionTable } from './sections.ts';

/**
 * No fetch, image, font or frame from anywhere but the page itself. 'unsafe-eval' because
 * plotly's WebGL traces (3-D scatter, parallel coordinates) compile their shaders' glue code
 * with `new Function`.
 */
const CSP = "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data: blob:; font-src data:; connect-src 'none'; worker-src blob:";

const STYLE = `
:root { --ink:#1f2430; --muted:#5b6270; --line:#e3e6eb; --accent:#d1495b; --bg:#f6f7f9; --card:#fff; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--ink); font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif; }
header.top { background:#2e4057; color:#fff; padding:22px 32px 16px; }
header.top h1 { margin:0 0 4px; font-size:24px; font-weight:600; word-break:break-word; }
header.top .sub { margin:0; color:#cdd6e3; font-size:13px; }
nav.toc { margin-top:10px; display:flex; flex-wrap:wrap; gap:6px 14px; }
nav.toc a { color:#fff; text-decoration:none; font-size:13px; opacity:.9; border-bottom:1px solid transparent; }
nav.toc a:hover { border-bottom-color:#fff; }
main { max-width:1240px; margin:0 auto; padding:18px 24px 40px; }
section.cell { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:16px 22px 18px; margin:18px 0; }
section.cell h2 { margin:0 0 8px; font-size:18px; font-weight:600; }
section.cell p { margin:6px 0; color:var(--ink); max-width:95ch; }
dl.facts { display:grid; grid-template-columns:max-content 1fr; gap:2px 16px; margin:10px 0; font-size:13px; }
dl.facts dt { color:var(--muted); }
dl.facts dd { margin:0; word-break:break-word; }
figure { margin:14px 0; }
figcaption { color:var(--muted); font-size:12px; margin-top:2px; }
.plot { width:100%; min-height:200px; }
.grid2 { display:grid; grid-template-columns:repeat(auto-fit,minmax(520px,1fr)); gap:0 18px; }
.tablewrap { overflow:auto; max-height:560px; border:1px solid var(--line); border-radius:6px; margin:6px 0 12px; }
table { border-collapse:collapse; font-size:12.5px; width:max-content; min-width:100%; }
th, td { padding:4px 10px; border-bottom:1px solid var(--line); text-align:left; white-space:nowrap; }
td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; }
thead th { position:sticky; top:0; background:#eef1f5; font-weight:600; z-index:1; }
table.sortable thead th { cursor:pointer; user-select:none; }
table.sortable thead th::after { content:' ↕'; color:#9aa3b1; font-size:11px; }
table.sortable thead th[aria-sort=ascending]::after { content:' ▲'; color:var(--ink); }
table.sortable thead th[aria-sort=descending]::after { content:' ▼'; color:var(--ink); }
tbody tr:nth-child(even) { background:#fafbfc; }
tbody tr:hover { background:#fff4e5; }
tr.knee td { background:#fff3d6; }
h3.tcap { font-size:13px; margin:14px 0 4px; color:var(--muted); font-weight:600; }
div.controls { display:flex; flex-wrap:wrap; gap:8px 24px; align-items:center; margin:8px 0 2px; font-size:13px; }
div.controls select { font:inherit; padding:2px 6px; }
footer { text-align:center; color:var(--muted); font-size:12px; padding:10px 0 30px; }
`;

/** Sorts a table by a clicked header; cells carry their sort key in data-v (numbers) or their text. */
const BOOT = `
(function () {
  var figs = JSON.parse(document.getElementById('report-figures').textContent);
  var colours = JSON.parse(document.getElementById('report-colours').textContent);
  var config = { displaylogo: false, responsive: true, modeBarButtonsToRemove: ['sendDataToCloud'], toImageButtonOptions: { format: 'svg' } };
  document.querySelectorAll('.plot[data-fig]').forEach(function (el) {
    var f = figs[el.getAttribute('data-fig')];
    if (f) Plotly.newPlot(el, f.data, f.layout, config);
  });
  // Colour by: each point's parameter values are its hover data; recolour the tagged traces and redo the colour legend.
  document.querySelectorAll('select.colour-by').forEach(function (select) {
    var problem = Number(select.getAttribute('data-problem'));
    select.addEventListener('change', function () {
      var choice = colours.problems[problem][Number(select.value)];
      var colourOf = function (v) { var i = choice.categories.indexOf(v); return i >= 0 && i < colours.palette.length ? colours.palette[i] : colours.other; };
      document.querySelectorAll('.plot[data-fig]').forEach(function (el) {
        var f = figs[el.getAttribute('data-fig')];
        if (!f || f.problem !== problem || !el.data || !el.data.some(function (t) { return t.meta === 'colour-points'; })) return;
        var legend = el.data.filter(function (t) { return t.meta === 'colour-legend'; })[0];
        var data = el.data.filter(function (t) { return t.meta !== 'colour-legend'; }).map(function (t) {
          if (t.meta !== 'colour-points') return t;
          var marker = Object.assign({}, t.marker, { color: t.customdata.map(function (cd) { return colourOf(cd[choice.index]); }) });
          return Object.assign({}, t, { marker: marker });
        });
        choice.categories.forEach(function (c, i) {
          var entry = { type: legend ? legend.type : 'scatter', mode: 'markers', name: choice.label + ' = ' + c, x: [null], y: [null],
            marker: { color: i < colours.palette.length ? colours.palette[i] : colours.other, size: 9 }, hoverinfo: 'skip', meta: 'colour-legend' };
          if (entry.type === 'scatter3d') entry.z = [null];
          data.push(entry);
        });
        Plotly.react(el, data, el.layout, config);
      });
    });
  });
  // Log axes: those spanning more than 10x start on a log scale; the box switches them to linear and back.
  var logBox = document.getElementById('log-axes');
  if (logBox) logBox.addEventListener('change', function () {
    document.querySelectorAll('.plot[data-fig]').forEach(function (el) {
      var f = figs[el.getAttribute('data-fig')];
      if (!f || !f.logAxes || !f.logAxes.length) return;
      var update = {};
      f.logAxes.forEach(function (ax) { update[ax + '.type'] = logBox.checked ? 'log' : 'linear'; });
      Plotly.relayout(el, update);
    });
  });
  document.querySelectorAll('table.sortable').forEach(function (table) {
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, col) {
      th.addEventListener('click', function () {
        var asc = th.getAttribute('aria-sort') !== 'ascending';
        Array.prototype.forEach.call(heads, function (o) { o.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var key = function (r) {
          var c = r.cells[col];
          var v = c.getAttribute('data-v');
          return v !== null ? Number(v) : c.textContent;
        };
        rows.sort(function (a, b) {
          var x = key(a), y = key(b);
          var d = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), undefined, { numeric: true });
          return asc ? d : -d;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
})();
`;

/** The page of one problem's runs, or of several problems (a part per problem, see problemSections). */
export function renderHtml(modelOrModels: ReportModel | ReportModel[]): string {
  const models = Array.isArray(modelOrModels) ? modelOrModels : [modelOrModels];
  const model = models[0]!;
  const placed = problemSections(models);
  const figures: Record<string, { data: unknown; layout: unknown; logAxes: string[]; problem: number }> = {};
  for (const { section, problem } of placed) for (const f of section.figures) figures[f.id] = { data: f.data, layout: f.layout, logAxes: f.logAxes ?? [], problem };
  // Colour-by choices of each problem (the menus of its Pareto plots).
  const colours = {
    palette: CATEGORY_COLORS,
    other: '#999999',
    problems: models.map((m) => colorChoicesOf(m).map((c) => ({ label: escapePlotlyText(c.parameter), index: c.index, categories: c.categories }))),
  };
  const toc = placed.map(({ section: s }) => `<a href="#${h(s.id)}">${h(s.title)}</a>`).join('');
  const runCount = models.reduce((a, m) => a + m.runs.length, 0);
  const runs = runCount === 1 ? `run ${model.runs[0]!.dir}` : models.length > 1 ? `${runCount} runs of ${models.length} problems` : `${runCount} runs`;
  const title = models.length > 1 ? models.map((m) => m.title).join(' · ') : model.title;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${h(CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${h(model.generatedBy)}">
<title>${h(title)} · accel-dse report</title>
<style>${STYLE}</style>
</head>
<body>
<header class="top">
<h1 id="study-name">${h(title)}</h1>
<p class="sub">Design-space exploration report · ${h(runs)} · ${h(model.generatedBy)}</p>
<nav class="toc">${toc}</nav>
</header>
<main>
${placed.map(({ section, model: m, problem }) => renderSection(section, m, problem)).join('\n')}
</main>
<footer>Made by ${h(model.generatedBy)} with plotly.js ${h(plotlyVersion())} (inlined; this file needs no network).</footer>
<script type="application/json" id="report-figures">${jsonForScript(figures)}</script>
<script type="application/json" id="report-colours">${jsonForScript(colours)}</script>
<script>window.PlotlyConfig = { MathJaxConfig: 'local' };</script>
<script>${plotlyBundle()}</script>
<script>${BOOT}</script>
</body>
</html>
`;
}

function renderSection(s: Section, model: ReportModel, problem: number): string {
  const kind = s.kind ?? s.id;
  const parts: string[] = [`<section class="cell" id="${h(s.id)}">`, `<h2>${h(s.title)}</h2>`];
  for (const p of s.paragraphs) parts.push(`<p>${h(p)}</p>`);
  if (kind === 'front') parts.push(frontControls(model, s, problem));
  if (s.facts.length) {
    parts.push('<dl class="facts">' + s.facts.map(([k, v]) => `<dt>${h(k)}</dt><dd>${h(v)}</dd>`).join('') + '</dl>');
  }
  // The study's tables come before its (absent) figures; elsewhere figures lead.
  const tablesFirst = kind === 'study';
  const figs = renderFigures(s.figures, kind === 'front' && s.figures.length > 1);
  const tables = s.tables.map((t) => renderTable(t, model)).join('\n');
  parts.push(tablesFirst ? tables + figs : figs + tables);
  parts.push('</section>');
  return parts.join('\n');
}

/** Colour-by menu and log-axes switch above the Pareto plots. */
function frontControls(model: ReportModel, s: Section, problem: number): string {
  const choices = colorChoicesOf(model);
  const parts: string[] = [];
  if (choices.length) {
    const options = choices.map((c, i) => `<option value="${i}"${c.parameter === model.drivers?.colorBy ? ' selected' : ''}>${h(c.parameter)}</option>`).join('');
    parts.push(`<label>Colour points by <select class="colour-by" id="colour-by${problem ? `-${problem + 1}` : ''}" data-problem="${problem}">${options}</select></label>`);
  }
  if (problem === 0 && s.figures.some((f) => f.logAxes && f.logAxes.length)) {
    parts.push('<label><input type="checkbox" id="log-axes" checked> log scale on axes whose values span more than 10x</label>');
  }
  return parts.length ? `<div class="controls">${parts.join('')}</div>` : '';
}

function renderFigures(figs: Figure[], twoColumns: boolean): string {
  if (figs.length === 0) return '';
  // The 3-D view spans the full width below the pairs.
  const flat = figs.filter((f) => f.id !== 'pareto-3d');
  const wide = figs.filter((f) => f.id === 'pareto-3d');
  const one = (f: Figure): string =>
    `<figure><div class="plot" id="fig-${h(f.id)}" data-fig="${h(f.id)}"></div><figcaption>${h(f.caption)}</figcaption></figure>`;
  const body = twoColumns ? `<div class="grid2">${flat.map(one).join('')}</div>` : flat.map(one).join('');
  return body + wide.map(one).join('');
}

function renderTable(t: SectionTable, model: ReportModel): string {
  const cls = t.sortable ? ' class="sortable"' : '';
  const head = t.table.columns.map((c) => `<th${c.numeric ? ' class="num"' : ''} scope="col">${h(c.heading)}</th>`).join('');
  const body = t.table.rows
    .map((row, ri) => {
      const knee = t.id.endsWith('front-table') && ri === model.kneeIndex ? ' class="knee"' : '';
      const cells = row
        .map((cell, ci) => {
          const numeric = t.table.columns[ci]?.numeric && typeof cell.sort === 'number';
          const dv = typeof cell.sort === 'number' && Number.isFinite(cell.sort) ? ` data-v="${cell.sort}"` : typeof cell.sort === 'number' ? ' data-v="-1e308"' : '';
          return `<td${numeric ? ' class="num"' : ''}${dv}>${h(cell.text)}</td>`;
        })
        .join('');
      return `<tr${knee}>${cells}</tr>`;
    })
    .join('\n');
  return `<h3 class="tcap">${h(t.caption)}</h3><div class="tablewrap"><table id="${h(t.id)}"${cls}><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}
