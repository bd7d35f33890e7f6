/**
 * Opens each chart page in headless Chromium with the network off and checks that the charts render, that the
 * page asks for nothing over the network and that it logs no console error.
 * Needs Debian's `chromium` (`.ci/run` installs it); set RUNLOG_SKIP_BROWSER=1 to skip on a machine without it.
 * Set RUNLOG_CHART_SHOTS=DIR to keep a screenshot of each page there.
 */
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {writeChart} from '../../src/charts/write-chart.js'
import {summaryChartSpec, summaryHeadline} from '../../src/charts/summary-chart.js'
import {compareChartSpec, compareHeadline, compareRunLabels} from '../../src/charts/compare-chart.js'
import {efficiencyChartSpec, efficiencyHeadline} from '../../src/charts/efficiency-chart.js'
import {writeCompareChart, writeSummaryChart} from '../../src/charts/command-charts.js'
import {COMPARE_INPUT, EFFICIENCY_INPUT, RUN_A, RUN_B, SUMMARY_INPUT} from './fixtures.js'
import {Chromium, CHROMIUM_CANDIDATES, consoleProblems, findChromium, networkRequests} from './chromium.js'
import {showControls} from '../../src/render/safe/controls.js'
import {CLEAR, HOSTILE_NAME, OSC8} from '../helpers/hostile-run.js'

const skip = process.env.RUNLOG_SKIP_BROWSER === '1'
const executable = findChromium()

/** The summarize page of a run whose name and a dataset label try to inject markup and terminal escapes. */
const HOSTILE_LABEL = `gsm${CLEAR}<img src=x onerror=console.error(1)>|${OSC8}`
const HOSTILE_RUN = `${HOSTILE_NAME}<img src=y onerror=console.error(2)>`
const HOSTILE_INPUT = (() => {
  const input = structuredClone(SUMMARY_INPUT)
  input.summary.run.name = HOSTILE_RUN
  for (const d of [...input.series.datasets, ...input.summary.datasets]) {
    if (d.source === 'gsm8k') d.source = HOSTILE_LABEL
  }
  return input
})()

const PAGES = [
  {
    name: 'summarize',
    write: (file: string) =>
      writeChart(summaryChartSpec(SUMMARY_INPUT), file, {
        title: `runlog summarize: ${RUN_A.summary.run.name}`,
        headline: summaryHeadline(SUMMARY_INPUT.summary),
        runs: [RUN_A.summary.run.name!],
      }),
    runs: [RUN_A.summary.run.name!],
    texts: ['accuracy (%)', 'success rate (%)', 'cumulative cost (USD)', 'gsm8k', 'commonsenseqa'],
  },
  {
    // The report file of `summarize --chart report.html`: what the terminal shows, above the charts.
    name: 'summarize-report',
    write: (file: string) =>
      writeSummaryChart(file, RUN_A.summary, RUN_A.series, {diagnosis: {judgeThreshold: 0.8, window: 5}}),
    runs: [RUN_A.summary.run.name!],
    texts: ['accuracy (%)', 'success rate (%)', 'judge threshold 80%', 'gsm8k'],
    report: {
      tables: ['Accuracy per dataset', 'Accuracy per split (all datasets)', 'LLM judge', 'API cost'],
      cells: ['accuracy (95% CI)', RUN_A.summary.diagnosis[0].message],
      diagnosis: 1,
    },
  },
  {
    name: 'compare-report',
    write: (file: string) =>
      writeCompareChart(file, COMPARE_INPUT.compare, [RUN_A.summary, RUN_B.summary], [RUN_A.series, RUN_B.series], {
        judgeThreshold: 0.9,
        window: 5,
      }),
    runs: [RUN_A.summary.run.name!, RUN_B.summary.run.name!],
    texts: ['dataset (split)', 'accuracy (%)', 'judge threshold 90%'],
    report: {
      tables: [
        'Accuracy per dataset (largest gap first)',
        'Accuracy per split (all datasets)',
        'LLM judge',
        'API cost',
      ],
      cells: ['significant'],
      diagnosis: 1,
    },
  },
  {
    name: 'compare',
    write: (file: string) =>
      writeChart(compareChartSpec(COMPARE_INPUT), file, {
        title: 'runlog compare',
        headline: compareHeadline(COMPARE_INPUT),
        runs: compareRunLabels(COMPARE_INPUT),
      }),
    runs: [RUN_A.summary.run.name!, RUN_B.summary.run.name!],
    texts: ['dataset (split)', 'accuracy (%)', 'failure rate (%)', RUN_B.summary.run.name!],
  },
  {
    name: 'efficiency',
    write: (file: string) =>
      writeChart(efficiencyChartSpec(EFFICIENCY_INPUT), file, {
        title: `runlog efficiency: ${RUN_A.summary.run.name}`,
        headline: efficiencyHeadline(EFFICIENCY_INPUT),
        runs: [RUN_A.summary.run.name!],
      }),
    runs: [RUN_A.summary.run.name!],
    texts: ['cost per correct answer (USD)', 'cumulative cost (USD)', 'Pareto frontier'],
  },
  {
    name: 'hostile',
    write: (file: string) =>
      writeChart(summaryChartSpec(HOSTILE_INPUT), file, {
        title: `runlog summarize: ${HOSTILE_RUN}`,
        headline: summaryHeadline(HOSTILE_INPUT.summary),
        runs: [HOSTILE_RUN],
      }),
    // Markup shows as text (no image is fetched, no handler logs), escapes as visible characters.
    runs: [showControls(HOSTILE_RUN)],
    texts: ['accuracy (%)', showControls(HOSTILE_LABEL)],
  },
]

interface Rendered {
  state: string
  error: string
  svgs: number
  marks: number
  texts: string[]
  runs: string[]
  headlineRows: number
  reportTitles: string[]
  reportText: string
  diagnosisItems: number
}

const INSPECT = `(() => {
  const svg = [...document.querySelectorAll('#runlog-chart svg.marks')];
  const marks = document.querySelectorAll('#runlog-chart svg.marks g.role-mark > path, #runlog-chart svg.marks g.role-mark > text').length;
  return {
    state: document.body.getAttribute('data-rendered') || '',
    error: document.getElementById('runlog-error').textContent,
    svgs: svg.length,
    marks,
    texts: [...document.querySelectorAll('#runlog-chart svg.marks text')].map((t) => t.textContent),
    runs: [...document.querySelectorAll('ul.runs li')].map((li) => li.textContent),
    headlineRows: document.querySelectorAll('table.headline tr').length,
    reportTitles: [...document.querySelectorAll('#runlog-report h2')].map((h) => h.textContent),
    reportText: document.getElementById('runlog-report') ? document.getElementById('runlog-report').textContent : '',
    diagnosisItems: document.querySelectorAll('#runlog-report ul.diagnosis li').length,
  };
})()`

describe.skipIf(skip)('chart pages in headless Chromium (network off)', () => {
  let browser: Chromium
  const dir = mkdtempSync(path.join(tmpdir(), 'runlog-html-'))

  beforeAll(() => {
    if (!executable) {
      throw new Error(
        `Chromium is not installed (looked for ${CHROMIUM_CANDIDATES.join(', ')} and $RUNLOG_CHROMIUM): ` +
          "install Debian's package with `apt-get install -y chromium`, or set RUNLOG_SKIP_BROWSER=1 to skip these tests.",
      )
    }
    browser = Chromium.launch(executable)
  })

  afterAll(async () => {
    await browser?.close()
    rmSync(dir, {recursive: true, force: true})
  })

  for (const p of PAGES) {
    it(`${p.name}: renders its charts offline with no console error`, async () => {
      const file = path.join(dir, `${p.name}.html`)
      await p.write(file)
      const url = pathToFileURL(file).href
      const page = await browser.newPage()
      await page.goto(url)
      await page.waitFor("document.body && document.body.hasAttribute('data-rendered')")
      const r = await page.evaluate<Rendered>(INSPECT)
      const shots = process.env.RUNLOG_CHART_SHOTS
      if (shots) {
        mkdirSync(shots, {recursive: true})
        writeFileSync(path.join(shots, `${p.name}.html.png`), await page.screenshot())
      }
      expect(r.error).toBe('')
      expect(r.state).toBe('ok')
      expect(r.svgs).toBe(1)
      expect(r.marks).toBeGreaterThan(10)
      for (const t of p.texts) expect(r.texts, t).toContain(t)
      expect(r.runs).toEqual(p.runs)
      expect(r.headlineRows).toBeGreaterThan(0)
      if ('report' in p && p.report) {
        for (const t of p.report.tables) expect(r.reportTitles, t).toContain(t)
        for (const c of p.report.cells) expect(r.reportText, c).toContain(c)
        expect(r.diagnosisItems).toBe(p.report.diagnosis)
        // The report comes before the charts.
        expect(
          await page.evaluate<boolean>(
            "!!(document.getElementById('runlog-report').compareDocumentPosition(document.getElementById('runlog-chart')) & Node.DOCUMENT_POSITION_FOLLOWING)",
          ),
        ).toBe(true)
      }
      expect(consoleProblems(page.events())).toEqual([])
      expect(networkRequests(page.events(), url)).toEqual([])
      await browser.send('Target.closeTarget', {targetId: await targetOf(browser, page.sessionId)})
    })
  }

  it('would notice a page that fetches something or logs an error', async () => {
    const file = path.join(dir, 'leaky.html')
    writeFileSync(file, '<!DOCTYPE html><img src="http://runlog.invalid/x.png"><script>console.error("boom")</script>')
    const url = pathToFileURL(file).href
    const page = await browser.newPage()
    await page.goto(url)
    await page.waitFor("document.readyState === 'complete'")
    await new Promise((r) => setTimeout(r, 300))
    expect(networkRequests(page.events(), url)).toContain('http://runlog.invalid/x.png')
    expect(consoleProblems(page.events()).join('\n')).toContain('boom')
  })
})

async function targetOf(browser: Chromium, sessionId: string): Promise<string> {
  const {targetInfos} = (await browser.send('Target.getTargets')) as {
    targetInfos: Array<{targetId: string; type: string; attached: boolean}>
  }
  // The page's own session knows its target.
  const info = (await browser.send('Target.getTargetInfo', {}, sessionId)) as {targetInfo: {targetId: string}}
  return targetInfos.find((t) => t.targetId === info.targetInfo.targetId)?.targetId ?? info.targetInfo.targetId
}
