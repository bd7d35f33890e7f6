import {existsSync, mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {runlog} from '../helpers/cli.js'
import {FIXTURES, GRPO_RUN} from '../helpers/fixtures.js'

describe('--chart on the commands', () => {
  const dir = mkdtempSync(join(tmpdir(), 'runlog-chart-'))

  it('summarize draws the run’s real figures into svg, png, html and vl.json', async () => {
    for (const ext of ['svg', 'png', 'html', 'vl.json']) {
      const file = join(dir, `summary.${ext}`)
      const r = await runlog(['summarize', GRPO_RUN, '--chart', file, '--json'])
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

  it('compare and efficiency draw too; an unknown extension is a one-line error', async () => {
    const p30 = join(FIXTURES, 'trainer-logs', 'training_p30.log')
    expect((await runlog(['compare', GRPO_RUN, p30, '--chart', join(dir, 'compare.png')])).status).toBe(0)
    expect(readFileSync(join(dir, 'compare.png')).length).toBeGreaterThan(10_000)
    expect((await runlog(['efficiency', GRPO_RUN, '--chart', join(dir, 'eff.svg')])).status).toBe(0)
    expect(readFileSync(join(dir, 'eff.svg'), 'utf8')).toContain('cost per correct answer (USD)')
    const bad = await runlog(['summarize', GRPO_RUN, '--chart', join(dir, 'x.gif')])
    expect(bad.status).toBe(1)
    expect(bad.stderr.trim().split('\n')).toHaveLength(1)
    expect(bad.stderr).toMatch(/x\.gif/)
  })
})
