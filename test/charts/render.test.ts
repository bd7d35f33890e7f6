import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import type {TopLevelSpec} from 'vega-lite'
import {renderSvg} from '../../src/charts/render-svg.js'
import {renderPng, svgToPng} from '../../src/charts/render-png.js'
import {renderHtml, scriptSafeJson} from '../../src/charts/render-html.js'
import {htmlText} from '../../src/render/safe/html.js'
import {chartFormat, writeChart} from '../../src/charts/write-chart.js'
import {summaryChartSpec, summaryHeadline} from '../../src/charts/summary-chart.js'
import {compareChartSpec, compareHeadline, compareRunLabels} from '../../src/charts/compare-chart.js'
import {efficiencyChartSpec, efficiencyHeadline} from '../../src/charts/efficiency-chart.js'
import {InputError} from '../../src/errors.js'
import {COMPARE_INPUT, DATASETS, EFFICIENCY_INPUT, RUN_B, SUMMARY_INPUT} from './fixtures.js'
import {drawnMarks, readPng, svgProblems, svgTexts} from './svg-check.js'

const CHARTS: Array<{name: string; spec: TopLevelSpec; marks: Record<string, number>; texts: string[]}> = [
  {
    name: 'summarize',
    spec: summaryChartSpec(SUMMARY_INPUT),
    // 6 dataset lines + success + 2 failure lines + cumulative cost; val points and judge/cost points; cost bars.
    marks: {line: 10, symbol: 18, rect: 29},
    texts: [
      'accuracy (%)',
      'step',
      'success rate (%)',
      'failure rate (%)',
      'cumulative cost (USD)',
      'cost per step (USD)',
      ...DATASETS,
    ],
  },
  {
    name: 'compare',
    spec: compareChartSpec(COMPARE_INPUT),
    marks: {rect: 22, line: 19, symbol: 33},
    texts: [
      'accuracy (%)',
      'step',
      'dataset (split)',
      'cumulative cost (USD)',
      'run',
      ...compareRunLabels(COMPARE_INPUT),
    ],
  },
  {
    name: 'efficiency',
    spec: efficiencyChartSpec(EFFICIENCY_INPUT),
    marks: {line: 2, symbol: 30, rule: 1, text: 5},
    texts: ['cost per correct answer (USD)', 'step', 'cumulative cost (USD)', 'accuracy (%)', 'Pareto frontier'],
  },
]

const dir = mkdtempSync(path.join(tmpdir(), 'runlog-charts-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

/** Each chart's SVG is rendered once for the file: the SVG and PNG tests read the same picture. */
const svgs = new Map<TopLevelSpec, Promise<string>>()
function svgOf(spec: TopLevelSpec): Promise<string> {
  if (!svgs.has(spec)) svgs.set(spec, renderSvg(spec))
  return svgs.get(spec)!
}

describe('SVG', () => {
  for (const c of CHARTS) {
    it(`${c.name}: parses, has drawn marks and labelled axes`, async () => {
      const svg = await svgOf(c.spec)
      expect(svgProblems(svg)).toEqual([])
      // resvg parses strictly (roxmltree): a malformed document throws here.
      expect(() => svgToPng(svg, {scale: 0.25})).not.toThrow()
      const marks = drawnMarks(svg)
      for (const [type, atLeast] of Object.entries(c.marks))
        expect(marks[type] ?? 0, `${type} marks`).toBeGreaterThanOrEqual(atLeast)
      const texts = svgTexts(svg)
      for (const t of c.texts) expect(texts, t).toContain(t)
      expect(svg).not.toMatch(/NaN|undefined|Infinity/)
    })
  }

  it('breaks a line at an unknown rate instead of drawing it as 0', async () => {
    const svg = await svgOf(CHARTS[0].spec)
    // The judge success line (step 17 unknown) is one path with two pieces.
    const success = svg.match(/<g class="mark-line role-mark concat_1_concat_0[^"]*"[^>]*><path[^>]*\sd="([^"]+)"/)
    expect(success).not.toBeNull()
    expect(success![1].match(/M/g)).toHaveLength(2)
  })

  it('escapes run names', async () => {
    const svg = await svgOf(CHARTS[1].spec)
    expect(svgProblems(svg)).toEqual([])
    expect(svgTexts(svg)).toContain(RUN_B.summary.run.name)
  })
})

describe('PNG', () => {
  for (const c of CHARTS) {
    it(`${c.name}: a real picture with text drawn`, async () => {
      const png = await renderPng(c.spec)
      const info = readPng(png)
      expect(info.bitDepth).toBe(8)
      expect(info.width).toBeGreaterThan(800)
      expect(info.height).toBeGreaterThan(400)
      expect(info.distinctBytes).toBeGreaterThan(100)
      expect(info.variedFraction).toBeGreaterThan(0.01)
      // Text is drawn: without its <text> elements the picture differs (resvg found a font).
      const svg = await svgOf(c.spec)
      const withoutText = svgToPng(svg.replace(/<text[^>]*>[^<]*<\/text>/g, ''))
      expect(withoutText.equals(png)).toBe(false)
    })
  }
})

describe('writeChart', () => {
  it('picks the format from the extension', async () => {
    const spec = efficiencyChartSpec(EFFICIENCY_INPUT)
    const opts = {title: 'efficiency', headline: efficiencyHeadline(EFFICIENCY_INPUT)}
    await writeChart(spec, path.join(dir, 'e.svg'), opts)
    await writeChart(spec, path.join(dir, 'e.png'), opts)
    await writeChart(spec, path.join(dir, 'e.html'), opts)
    await writeChart(spec, path.join(dir, 'nested', 'e.VL.JSON'), opts)
    expect(readFileSync(path.join(dir, 'e.svg'), 'utf8')).toMatch(/^<\?xml[^>]*>\s*<svg/)
    expect(readPng(readFileSync(path.join(dir, 'e.png'))).width).toBeGreaterThan(800)
    expect(readFileSync(path.join(dir, 'e.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/)
    expect(JSON.parse(readFileSync(path.join(dir, 'nested', 'e.VL.JSON'), 'utf8'))).toEqual(
      JSON.parse(JSON.stringify(spec)),
    )
    expect(chartFormat('a.b.vl.json')).toBe('vl.json')
  })

  it('refuses an unknown extension with an InputError naming the file and the formats', async () => {
    const file = path.join(dir, 'chart.jpg')
    const err = await writeChart(efficiencyChartSpec(EFFICIENCY_INPUT), file, {title: 'x'}).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(InputError)
    expect((err as InputError).file).toBe(file)
    for (const ext of ['.svg', '.png', '.html', '.vl.json']) expect((err as Error).message).toContain(ext)
    expect(() => chartFormat('chart.json')).toThrow(InputError)
    expect(() => chartFormat('chart')).toThrow(InputError)
  })
})

describe('HTML', () => {
  it('is one self-contained page: libraries and spec inlined, nothing to fetch', async () => {
    const html = await renderHtml(compareChartSpec(COMPARE_INPUT), {
      title: 'compare <two> & "runs"',
      headline: compareHeadline(COMPARE_INPUT),
      runs: compareRunLabels(COMPARE_INPUT),
    })
    expect(html.includes('<title>compare &lt;two&gt; &amp; &quot;runs&quot;</title>')).toBe(true)
    expect(html.includes(htmlText(RUN_B.summary.run.name!))).toBe(true)
    expect(html.includes(RUN_B.summary.run.name!)).toBe(false)
    // vega, vega-lite and vega-embed are inline; no element loads anything.
    expect(html.includes('.vegaLite={}')).toBe(true)
    expect(html.includes('.vegaEmbed=')).toBe(true)
    expect(html.includes('connect-src &#39;none&#39;')).toBe(true)
    // Exactly the scripts we wrote (the spec, three libraries, the boot code), none ending early.
    expect(html.match(/<\/script>/g)).toHaveLength(5)
    const markup = html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '<script></script>')
    expect(markup.match(/<script/g)).toHaveLength(5)
    expect(/<(script|img|link|iframe|object|embed|source)\b[^>]*\b(src|href|data)=/i.test(markup)).toBe(false)
    expect(/https?:/.test(markup)).toBe(false)
    expect(markup).toContain('<table class="headline">')
    expect(html.length).toBeGreaterThan(800_000)
  })

  it('keeps the spec JSON inert inside its script element', () => {
    const s = scriptSafeJson({name: '</script><script>alert(1)</script> <!-- & \u2028'})
    expect(s).not.toMatch(/[<>&\u2028]/)
    expect(JSON.parse(s)).toEqual({name: '</script><script>alert(1)</script> <!-- & \u2028'})
  })

  it('shows the summary headline table', async () => {
    const html = await renderHtml(summaryChartSpec(SUMMARY_INPUT), {
      title: 'summary',
      headline: summaryHeadline(SUMMARY_INPUT.summary),
    })
    expect(html.includes('<th scope="row">judge success rate</th><td>97.0%</td>')).toBe(true)
  })
})
