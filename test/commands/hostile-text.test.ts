/**
 * What comes from a log is data, never control: a run whose name, project, dataset labels, history keys and table
 * paths carry terminal escapes, NUL, C1, DEL, bidi overrides, HTML, `|` and spreadsheet formulas, through every
 * output format.
 */
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {svgToPng} from '../../src/charts/render-png.js'
import {WandbWriter} from '../support/wandb-writer.js'
import {readPng, svgTexts, xmlProblems} from '../charts/svg-check.js'
import {runlogInProcess} from '../helpers/in-process-cli.js'
import {GRPO_RUN} from '../helpers/fixtures.js'
import {grpoLog} from '../helpers/grpo-log.js'
import {
  CLEAR,
  FORMULA,
  HOSTILE_NAME,
  HOSTILE_PROJECT,
  HOSTILE_SOURCES,
  MISSING_TABLE,
  RAW_CONTROL,
  writeHostileRun,
} from '../helpers/hostile-run.js'

const ESC_SHOWN = '␛[2J'

/** The text outside the inlined vega scripts of an HTML page (they are our own code, not input). */
const pageOutsideScripts = (html: string) => html.replace(/<script>[\s\S]*?<\/script>/g, '<script></script>')

describe('hostile names and labels are shown, never obeyed', () => {
  let dir: string
  let run: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'runlog-hostile-'))
    run = writeHostileRun(join(dir, 'runs'))
  })

  it('summarize: the terminal table, Markdown and CSV carry no raw control; --json keeps exact values', async () => {
    const table = await runlogInProcess(['summarize', run])
    expect(table.status, table.stderr).toBe(0)
    for (const out of [table.stdout, table.stderr]) expect(out).not.toMatch(RAW_CONTROL)
    expect(table.stdout).toContain(`name${ESC_SHOWN}<script>`)
    expect(table.stdout).toContain('proj␛]8;;http://x␇y␛]8;;␇')
    expect(table.stdout).toContain('nul␀c1\\u009bdel␡bidi\\u202eevil')
    // A table file that cannot be read is a problem of the input: said on stderr.
    expect(table.stderr).toContain(`gone${ESC_SHOWN}.table.json`)

    const md = (await runlogInProcess(['summarize', run, '--format', 'md'])).stdout
    expect(md).not.toMatch(RAW_CONTROL)
    expect(md).not.toMatch(/<script>|<b>/)
    expect(md).toMatch(/^## name␛\[2J&lt;script&gt;alert\(1\)&lt;\/script&gt;\|x␀/m)
    expect(md).toContain(`| train | gsm${ESC_SHOWN}8k\\|&lt;script&gt;&amp; | 3 | 6 |`)
    // Every row of the dataset table keeps its 8 cells: no `|` from a label splits one.
    const datasetTable = md.split('### Accuracy per dataset')[1].split('###')[0]
    for (const line of datasetTable.split('\n').filter((l) => l.startsWith('| train'))) {
      expect(line.split(/(?<!\\)\|/)).toHaveLength(10)
    }

    const csv = (await runlogInProcess(['summarize', run, '--format', 'csv'])).stdout
    expect(csv).not.toMatch(RAW_CONTROL)
    const datasetCells = csv.split('\n').filter((l) => l.startsWith('Accuracy per dataset,train,'))
    expect(datasetCells).toHaveLength(HOSTILE_SOURCES.length)
    expect(csv).toContain(
      `Accuracy per dataset,train,"'=HYPERLINK(""http://x"",""y"")",3,6,50,18.76163064826506,81.23836935173495,0.5,0.001,samples`,
    )
    expect(csv).toContain("Accuracy per dataset,train,'@SUM(1+1),3,6,50,")
    expect(csv).toContain("Accuracy per dataset,train,'-2+3,3,6,50,")
    expect(csv).toContain("Accuracy per dataset,train,'␉TAB,3,6,50,")
    // No field of any line starts a formula unless quoted by the neutralising `'`.
    for (const line of csv.split('\n')) {
      for (const field of line.split(',')) expect(field.replace(/^"/, '')).not.toMatch(/^[=+@\t\r]/)
    }

    const json = await runlogInProcess(['summarize', run, '--json'])
    expect(json.stdout).not.toMatch(RAW_CONTROL)
    const s = JSON.parse(json.stdout)
    expect(s.run.name).toBe(HOSTILE_NAME)
    expect(s.run.project).toBe(HOSTILE_PROJECT)
    expect(s.datasets.map((d: {source: string}) => d.source).sort()).toEqual([...HOSTILE_SOURCES].sort())
    expect(s.warnings.some((w: string) => w.includes(MISSING_TABLE))).toBe(true)
  })

  it('ls and history in every human format; jsonl stays exact JSON', async () => {
    for (const format of ['table', 'md', 'csv']) {
      const r = await runlogInProcess(['ls', join(dir, 'runs'), '--format', format])
      expect(r.status, r.stderr).toBe(0)
      expect(r.stdout).not.toMatch(RAW_CONTROL)
      expect(r.stdout).toContain(format === 'md' ? `name${ESC_SHOWN}&lt;script&gt;` : `name${ESC_SHOWN}<script>`)
    }
    const ls = JSON.parse((await runlogInProcess(['ls', join(dir, 'runs'), '--json'])).stdout)
    expect(ls[0].name).toBe(HOSTILE_NAME)

    for (const format of ['table', 'csv']) {
      const r = await runlogInProcess(['history', run, '--format', format])
      expect(r.status, r.stderr).toBe(0)
      expect(r.stdout).not.toMatch(RAW_CONTROL)
      expect(r.stdout).toContain(`weird${ESC_SHOWN}key`)
    }
    const jsonl = (await runlogInProcess(['history', run, '--format', 'jsonl'])).stdout.trim().split('\n')
    expect(JSON.parse(jsonl[0])[`weird${CLEAR}key`]).toBe('value\x1b]8;;http://x\x07y\x1b]8;;\x07')
  })

  it('query: result tables show escapes, and so does an error that quotes a logged value', async () => {
    const sql = 'SELECT DISTINCT source FROM samples ORDER BY source'
    for (const format of ['table', 'md', 'csv']) {
      const r = await runlogInProcess(['query', run, sql, '--format', format])
      expect(r.status, r.stderr).toBe(0)
      expect(r.stdout).not.toMatch(RAW_CONTROL)
      expect(r.stdout).toContain(`gsm${ESC_SHOWN}8k`)
    }
    const bad = await runlogInProcess([
      'query',
      run,
      "SELECT CAST(source AS INTEGER) FROM samples WHERE source LIKE 'gsm%'",
    ])
    expect(bad.status).toBe(1)
    expect(bad.stderr).not.toMatch(RAW_CONTROL)
    expect(bad.stderr).toContain(`gsm${ESC_SHOWN}8k`)
    expect(bad.stderr.trim().split('\n')).toHaveLength(1)
  })

  it('compare: its table and its stderr warnings show escapes', async () => {
    const r = await runlogInProcess(['compare', GRPO_RUN, run])
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).not.toMatch(RAW_CONTROL)
    expect(r.stderr).not.toMatch(RAW_CONTROL)
    expect(r.stdout).toContain(`name${ESC_SHOWN}<script>`)
    expect(r.stderr).toContain(`gone${ESC_SHOWN}.table.json`)
    const md = (await runlogInProcess(['compare', GRPO_RUN, run, '--format', 'md'])).stdout
    expect(md).not.toMatch(/<script>/)
    expect(md).toContain('| name␛[2J&lt;script&gt;alert(1)&lt;/script&gt;\\|x␀\\u009b31m acc (95% CI) |')
  })

  it('an error naming a hostile path shows its escapes', async () => {
    const r = await runlogInProcess(['summarize', join(dir, `no${CLEAR}such\x9b`)])
    expect(r.status).toBe(1)
    expect(r.stderr).not.toMatch(RAW_CONTROL)
    expect(r.stderr).toContain(`no${ESC_SHOWN}such\\u009b`)
  })

  for (const command of ['summarize', 'compare']) {
    it(`${command} --chart: SVG is well-formed XML, PNG renders, HTML and the spec carry no raw control`, async () => {
      const args = command === 'summarize' ? [run] : [GRPO_RUN, run]
      for (const ext of ['svg', 'png', 'html', 'vl.json']) {
        const file = join(dir, `${command}.${ext}`)
        const r = await runlogInProcess([command, ...args, '--chart', file])
        expect(r.status, `${command} ${ext}: ${r.stderr}`).toBe(0)
        expect(r.stderr).not.toMatch(RAW_CONTROL)
      }
      const svg = readFileSync(join(dir, `${command}.svg`), 'utf8')
      expect(xmlProblems(svg)).toEqual([])
      expect(svg).not.toMatch(RAW_CONTROL)
      expect(svgToPng(svg).length).toBeGreaterThan(1000)
      expect(svgTexts(svg).some((t) => t.includes('gsm␛[2J8k|<script>&'))).toBe(true)

      const png = readPng(readFileSync(join(dir, `${command}.png`)))
      expect(png.width).toBeGreaterThan(100)
      expect(png.variedFraction).toBeGreaterThan(0.01)

      const html = readFileSync(join(dir, `${command}.html`), 'utf8')
      const page = pageOutsideScripts(html)
      expect(page).not.toMatch(RAW_CONTROL)
      expect(page).not.toContain('<script>alert')
      expect(page).not.toContain('<b>')
      expect(html).toContain('name␛[2J&lt;script&gt;alert(1)&lt;/script&gt;')

      const specText = readFileSync(join(dir, `${command}.vl.json`), 'utf8')
      const strings: string[] = []
      JSON.parse(specText, (_k, v) => (typeof v === 'string' && strings.push(v), v))
      expect(strings.filter((v) => RAW_CONTROL.test(v))).toEqual([])
      expect(strings).toContain(FORMULA)
    })
  }
})

describe('a trainer stdout log with hostile dataset names', () => {
  it('is shown, never obeyed, in the table, Markdown, CSV and SVG', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runlog-hostile-log-'))
    const log = join(dir, 'train.log')
    // A `source=` token ends at a space or `)`: these are the hostile labels a trainer line can carry.
    const sources = ['<script>|x', '=1+2', '@cmd', 'ab\x9bc\u202ed\x7fe']
    const sample = (source: string, correctness: number) => ({source, correctness, executorCost: 1e-3, judgeCost: 1e-3})
    const samples = sources.flatMap((source) => [sample(source, 0), sample(source, 1)])
    writeFileSync(log, grpoLog([samples]))
    const json = JSON.parse((await runlogInProcess(['summarize', log, '--json'])).stdout)
    expect(json.datasets.map((d: {source: string}) => d.source)).toEqual(sources)
    const table = (await runlogInProcess(['summarize', log])).stdout
    expect(table).not.toMatch(RAW_CONTROL)
    expect(table).toContain('│ ab\\u009bc\\u202ed␡e │')
    const md = (await runlogInProcess(['summarize', log, '--format', 'md'])).stdout
    expect(md).toContain('| train | &lt;script&gt;\\|x | 1 | 2 |')
    const csv = (await runlogInProcess(['summarize', log, '--format', 'csv'])).stdout
    expect(csv).toContain("Accuracy per dataset,train,'=1+2,1,2,50,")
    expect(csv).toContain("Accuracy per dataset,train,'@cmd,1,2,50,")
    const svgFile = join(dir, 'chart.svg')
    expect((await runlogInProcess(['summarize', log, '--chart', svgFile])).status).toBe(0)
    expect(xmlProblems(readFileSync(svgFile, 'utf8'))).toEqual([])
  })
})

describe('figures too large for a double agree across formats with --json', () => {
  it('a cost of 1e999 is unknown in the table, Markdown and CSV, as --json says null', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runlog-inf-'))
    const log = join(dir, 'train.log')
    const text = grpoLog([
      [
        {source: 'gsm8k', correctness: 1, executorCost: 0.001, judgeCost: 0.002},
        {source: 'gsm8k', correctness: 0, executorCost: 0.001, judgeCost: 0.002},
      ],
    ])
    writeFileSync(log, text.replace('Cost: $0.001000', 'Cost: $1e999'))
    const json = JSON.parse((await runlogInProcess(['summarize', log, '--json'])).stdout)
    expect(json.cost.total_cost).toBeNull()
    const table = (await runlogInProcess(['summarize', log])).stdout
    expect(table).not.toContain('Infinity')
    expect(table).toMatch(/│\s+total\s+│[\s\S]*?\n│\s+—\s+│/)
    expect((await runlogInProcess(['summarize', log, '--format', 'md'])).stdout).not.toContain('Infinity')
    const csv = (await runlogInProcess(['summarize', log, '--format', 'csv'])).stdout
    expect(csv).not.toContain('Infinity')
    expect(csv).toMatch(/^API cost,,2,/m)
  })

  it('history --format jsonl writes a logged 1e999 as the string "Infinity": every line is JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runlog-inf-'))
    const file = join(dir, 'run-inf1.wandb')
    const w = WandbWriter.open(file)
    w.header('0.23.0')
    w.run({runId: 'inf1'})
    w.history(0, [
      {key: 'big', valueJson: '1e999'},
      {key: 'small', valueJson: '-1e999'},
      {key: 'nested', valueJson: '{"x": [1e999, 2.5]}'},
      {key: '_step', valueJson: '0'},
    ])
    w.close()
    const r = await runlogInProcess(['history', file, '--format', 'jsonl'])
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toBe('{"big": "Infinity", "small": "-Infinity", "nested": {"x": ["Infinity", 2.5]}, "_step": 0}\n')
    const json = await runlogInProcess(['history', file, '--format', 'json'])
    expect(JSON.parse(json.stdout)[0].big).toBe('Infinity')
  })
})
