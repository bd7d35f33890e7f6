/**
 * A self-contained page that opens offline (a Content-Security-Policy forbids any request): the file a user copies
 * off the cluster to a laptop.
 */
import {readFile} from 'node:fs/promises'
import {createRequire} from 'node:module'
import path from 'node:path'
import type {TopLevelSpec} from 'vega-lite'
import {htmlText} from '../render/safe/html.js'

export interface HtmlOptions {
  title: string
  /** Label / value pairs shown as a small table above the charts. */
  headline?: Array<[string, string]>
  /** Run names shown under the heading. */
  runs?: string[]
  /** The report the terminal prints (tables, diagnosis, notes), shown above the charts. */
  report?: HtmlReport
}

export interface HtmlReport {
  sections: Array<{title: string; head: string[]; rows: string[][]; rightAlign?: boolean[]}>
  diagnosis: Array<{severity: string; message: string}>
  notes: string[]
}

/** The report as HTML: one table per section, then the diagnosis and the notes as lists. */
function reportHtml(report: HtmlReport): string {
  const cell = (tag: 'th' | 'td', text: string, right?: boolean) =>
    `<${tag}${right ? ' class="num"' : ''}>${htmlText(text)}</${tag}>`
  const row = (tag: 'th' | 'td', cells: string[], right?: boolean[]) =>
    `<tr>${cells.map((c, i) => cell(tag, c, right?.[i])).join('')}</tr>`
  const tables = report.sections
    .filter((s) => s.rows.length > 0)
    .map(
      (s) =>
        `<section class="report-section"><h2>${htmlText(s.title)}</h2><table class="report">` +
        `<thead>${row('th', s.head, s.rightAlign)}</thead>` +
        `<tbody>${s.rows.map((r) => row('td', r, s.rightAlign)).join('')}</tbody></table></section>`,
    )
  const finding = (d: HtmlReport['diagnosis'][number]) =>
    `<li class="${d.severity === 'alert' ? 'alert' : 'notice'}"><strong>${htmlText(d.severity)}</strong> ` +
    `${htmlText(d.message)}</li>`
  const diagnosis = report.diagnosis.length
    ? `<section class="report-section"><h2>Diagnosis</h2>` +
      `<ul class="diagnosis">${report.diagnosis.map(finding).join('')}</ul></section>`
    : ''
  const notes = report.notes.length
    ? `<ul class="notes">${report.notes.map((n) => `<li>${htmlText(n)}</li>`).join('')}</ul>`
    : ''
  return `<div id="runlog-report">${tables.join('\n')}${diagnosis}${notes}</div>`
}

const require = createRequire(import.meta.url)

/** The minified UMD build of an installed package, found from its entry point (their exports hide `build/`). */
async function umdBuild(pkg: 'vega' | 'vega-lite' | 'vega-embed', file: string): Promise<string> {
  let dir = path.dirname(require.resolve(pkg))
  for (;;) {
    try {
      const manifest = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as {name?: string}
      if (manifest.name === pkg) break
    } catch {
      // no package.json here: keep going up
    }
    const parent = path.dirname(dir)
    if (parent === dir) throw new Error(`cannot find the ${pkg} package to inline ${file}`)
    dir = parent
  }
  return readFile(path.join(dir, 'build', file), 'utf8')
}

let scripts: Promise<string[]> | undefined

/** vega, vega-lite and vega-embed, in load order, read once per process. */
export function inlineScripts(): Promise<string[]> {
  scripts ??= Promise.all([
    umdBuild('vega', 'vega.min.js'),
    umdBuild('vega-lite', 'vega-lite.min.js'),
    umdBuild('vega-embed', 'vega-embed.min.js'),
  ])
  return scripts
}

/** JSON safe inside a <script> element: no `</script>`, `<!--` or line separators can end or confuse it. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
}

function scriptSafe(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--')
}

const CSP = [
  "default-src 'none'",
  // vega compiles its expressions with Function(): 'unsafe-eval' is needed; nothing is fetched.
  "script-src 'unsafe-inline' 'unsafe-eval'",
  "style-src 'unsafe-inline'",
  'img-src data: blob:',
  'font-src data:',
  "connect-src 'none'",
].join('; ')

const STYLE = `
  body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 24px; color: #222; background: #fff; }
  h1 { font-size: 20px; margin: 0 0 4px; }
  .runs { color: #555; margin: 0 0 16px; padding: 0; list-style: none; font-size: 13px; }
  table.headline { border-collapse: collapse; margin: 0 0 20px; font-size: 13px; }
  table.headline th, table.headline td { text-align: left; padding: 3px 14px 3px 0; border-bottom: 1px solid #eee; vertical-align: top; }
  table.headline th { font-weight: 600; color: #444; }
  #runlog-error { color: #b00020; white-space: pre-wrap; }
  h2 { font-size: 15px; margin: 18px 0 6px; }
  table.report { border-collapse: collapse; font-size: 12px; margin: 0 0 8px; }
  table.report th, table.report td {
    padding: 2px 10px 2px 0; border-bottom: 1px solid #eee; text-align: left; white-space: nowrap;
  }
  table.report th { font-weight: 600; color: #444; }
  table.report .num { text-align: right; }
  ul.diagnosis, ul.notes { font-size: 13px; padding-left: 18px; }
  ul.diagnosis li.alert strong { color: #b00020; }
  ul.diagnosis li.notice strong { color: #8a6d00; }
  ul.notes { color: #555; }
  footer { color: #888; font-size: 11px; margin-top: 16px; }
`

const BOOT = `
(function () {
  var el = document.getElementById('runlog-chart');
  var spec = JSON.parse(document.getElementById('runlog-spec').textContent);
  vegaEmbed(el, spec, {renderer: 'svg', actions: {export: true, source: false, compiled: false, editor: false}})
    .then(function () { document.body.setAttribute('data-rendered', 'ok'); })
    .catch(function (err) {
      document.getElementById('runlog-error').textContent = 'The chart could not be drawn: ' + err;
      document.body.setAttribute('data-rendered', 'error');
    });
})();
`

export async function renderHtml(spec: TopLevelSpec, opts: HtmlOptions): Promise<string> {
  const [vegaJs, vegaLiteJs, vegaEmbedJs] = await inlineScripts()
  const runs = opts.runs?.length
    ? `<ul class="runs">${opts.runs.map((r) => `<li>${htmlText(r)}</li>`).join('')}</ul>`
    : ''
  const headline = opts.headline?.length
    ? `<table class="headline"><tbody>${opts.headline
        .map(([k, v]) => `<tr><th scope="row">${htmlText(k)}</th><td>${htmlText(v)}</td></tr>`)
        .join('')}</tbody></table>`
    : ''
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${htmlText(CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="runlog">
<title>${htmlText(opts.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${htmlText(opts.title)}</h1>
${runs}
${headline}
${opts.report ? reportHtml(opts.report) : ''}
<div id="runlog-chart"></div>
<p id="runlog-error"></p>
<noscript>The charts need JavaScript.</noscript>
<footer>Drawn by runlog with Vega-Lite; works offline.</footer>
<script id="runlog-spec" type="application/json">${scriptSafeJson(spec)}</script>
<script>${scriptSafe(vegaJs)}</script>
<script>${scriptSafe(vegaLiteJs)}</script>
<script>${scriptSafe(vegaEmbedJs)}</script>
<script>${BOOT}</script>
</body>
</html>
`
}
