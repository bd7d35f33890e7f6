import {existsSync, mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {runlogInProcess} from '../helpers/in-process-cli.js'
import {FIXTURES, GRPO_RUN} from '../helpers/fixtures.js'

describe('--chart on the commands', () => {
  const dir = mkdtempSync(join(tmpdir(), 'runlog-chart-'))

  it('summarize draws the run’s real figures into svg, png, html and vl.json', async () => {
    for (const ext of ['svg', 'png', 'html', 'vl.json']) {
      const file = join(dir, `summary.${ext}`)
      const r = await runlogInProcess(['summarize', GRPO_RUN, '--chart', file, '--json'])
      expect(r.status, r.stderr).toBe(0)
      expect(existsSync(file)).toBe(true)
      JSON.parse(r.stdout)
    }
    expect(readFileSync(join(dir, 'summary.png')).subarray(1, 4).toString()).toBe('PNG')
    const svg = readFileSync(join(dir, 'summary.svg'), 'utf8')
    expect(svg).toContain('accuracy (%)')
    expect(svg).toContain('commonsenseqa')
    const spec = JSON.parse(readFileSync(join(dir, 'summary.vl.json'), 'utf8'))
    expect(JSON.stringify(spec)).toContain('"source":"humaneval"')
    expect(readFileSync(join(dir, 'summary.html'), 'utf8')).toContain('grpo-seed1')
  })

  it('summarize --chart report.html holds what the terminal shows above the charts; the judge chart marks the threshold and the outage', async () => {
    const run = join(FIXTURES, 'judge-outage', 'offline-run-20251124_010716-7lhcisc9')
    const file = join(dir, 'report.html')
    const r = await runlogInProcess(['summarize', run, '--chart', file, '--judge-threshold', '0.75'])
    expect(r.status, r.stderr).toBe(0)
    const html = readFileSync(file, 'utf8')
    const report = html.slice(html.indexOf('<div id="runlog-report">'), html.indexOf('<div id="runlog-chart">'))
    for (const title of [
      'Accuracy per dataset',
      'Accuracy per split (all datasets)',
      'LLM judge',
      'API cost',
      'Checks: logged values',
      'Diagnosis',
    ])
      expect(report).toContain(`<h2>${title}`)
    expect(report).toContain('19.7 % (12.3–30.0)')
    expect(report).toContain('from step 12 to step 17')
    expect(report).toContain('warning: the trainer&#39;s cost/avg_cost_per_sample')
    // every line the terminal printed after the tables is in the page
    for (const line of r.stdout.split('\n').filter((l) => /^(alert|notice|warning): /.test(l)))
      expect(report).toContain(line.replace(/^(alert|notice): /, '').replace(/'/g, '&#39;'))
    const spec = html.slice(html.indexOf('<script id="runlog-spec" type="application/json">'))
    expect(spec).toContain('"label":"judge threshold 75%"')
    expect(spec).toContain('"from_step":12,"to_step":17')
    expect(spec).toContain('"field":"ci_high"')
  })

  it('compare and efficiency draw too; an unknown extension is a one-line error', async () => {
    const p30 = join(FIXTURES, 'trainer-logs', 'training_p30.log')
    expect((await runlogInProcess(['compare', GRPO_RUN, p30, '--chart', join(dir, 'compare.png')])).status).toBe(0)
    expect(readFileSync(join(dir, 'compare.png')).length).toBeGreaterThan(10_000)
    expect((await runlogInProcess(['efficiency', GRPO_RUN, '--chart', join(dir, 'eff.svg')])).status).toBe(0)
    expect(readFileSync(join(dir, 'eff.svg'), 'utf8')).toContain('cost per correct answer (USD)')
    const bad = await runlogInProcess(['summarize', GRPO_RUN, '--chart', join(dir, 'x.gif')])
    expect(bad.status).toBe(1)
    expect(bad.stderr.trim().split('\n')).toHaveLength(1)
    expect(bad.stderr).toMatch(/x\.gif/)
  })
})
