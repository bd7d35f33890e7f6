import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {type Items, WandbWriter} from '../support/wandb-writer.js'
import {runlogInProcess} from '../helpers/in-process-cli.js'

const dir = mkdtempSync(join(tmpdir(), 'runlog-huge-input-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

/** A run directory whose log holds `write`'s records between history at steps 0 and 2; returns its path. */
function makeRun(id: string, write: (w: WandbWriter) => void): string {
  const runDir = join(dir, id, `run-20260101_000000-${id}`)
  mkdirSync(runDir, {recursive: true})
  const w = WandbWriter.open(join(runDir, `run-${id}.wandb`))
  w.header('0.19.0')
  w.run({runId: id, project: 'huge', startTime: 1_767_225_600})
  w.history(0, {loss: 1})
  write(w)
  w.history(2, {loss: 3})
  w.exit(0, 10)
  w.close()
  return runDir
}

const verl = (step: number) =>
  `step:${step} - val-core/gsm8k/reward/mean@1:${step / 4} - critic/score/mean:${step / 10}`
/** A tqdm bar redrawn with `\r` and no `\n`, about `bytes` long. */
const bar = (bytes: number) => ' 45%|####5     | 45/100 [00:01<00:02, 30.1it/s]\r'.repeat(Math.ceil(bytes / 49))

describe('history of hostile values', () => {
  const depth = 10_000
  const deepItem = {key: 'deep', valueJson: '['.repeat(depth) + ']'.repeat(depth)}
  const deep = makeRun('deep', (w) => w.history(1, [deepItem, {key: 'loss', valueJson: '2'}]))

  it('table and csv print a value nested 10,000 deep (no stack overflow); jsonl keeps it a nested list', async () => {
    const csv = await runlogInProcess(['history', deep, '--format', 'csv'])
    expect(csv.stderr).toBe('')
    expect(csv.status).toBe(0)
    expect(csv.stdout.split('\n')[2]).toBe(`1,2,${'['.repeat(depth)}${']'.repeat(depth)}`)
    const table = await runlogInProcess(['history', deep])
    expect(table.status).toBe(0)
    const more = (2 * depth - 1000).toLocaleString('en-US')
    expect(table.stdout).toContain(`${'['.repeat(1000)}… (${more} more characters)`)
    const jsonl = await runlogInProcess(['history', deep, '--format', 'jsonl'])
    expect(jsonl.status).toBe(0)
    let v = (JSON.parse(jsonl.stdout.split('\n')[1]) as {deep: unknown}).deep
    let d = 0
    while (Array.isArray(v) && v.length === 1) [v, d] = [v[0], d + 1]
    expect([v, d]).toEqual([[], depth - 1])
  })

  it('--format table shows the first 100 of 100,000 columns and says so; csv has them all', async () => {
    const keys = makeRun('keys', (w) => {
      for (let r = 0; r < 2; r++) {
        const items: Items = Array.from({length: 100_000}, (_, i) => ({key: `k${i}`, valueJson: String(i + r)}))
        w.history(1, items)
      }
    })
    const table = await runlogInProcess(['history', keys])
    expect(table.status).toBe(0)
    expect(table.stderr).toContain(
      'the table shows the first 100 of 100,002 columns (--keys picks columns; --format csv has them all)',
    )
    const head = table.stdout.split('\n')[1]
    expect(head).toContain('k97')
    expect(head).not.toContain('k98')
    const csv = await runlogInProcess(['history', keys, '--format', 'csv'])
    expect(csv.status).toBe(0)
    expect(csv.stderr).toBe('')
    const lines = csv.stdout.trimEnd().split('\n')
    expect(lines).toHaveLength(5)
    expect(lines[0].split(',')).toHaveLength(100_002)
    expect(lines[2].split(',')[100_001]).toBe('99999')
    expect(lines[3].split(',')[100_001]).toBe('100000')
  })

  it('--format table cuts a long string cell and says how much; csv keeps it whole', async () => {
    const text = 'é'.repeat(200_000)
    const long = makeRun('long', (w) => w.history(1, {big: text, loss: 2}))
    const table = await runlogInProcess(['history', long, '--keys', 'big'])
    expect(table.status).toBe(0)
    expect(table.stdout).toContain(`${'é'.repeat(1000)}… (199,000 more characters)`)
    expect(table.stdout.length).toBeLessThan(10_000)
    const csv = await runlogInProcess(['history', long, '--format', 'csv', '--keys', 'big'])
    expect(csv.stdout.split('\n')[1]).toBe(`1,${text}`)
  })
})

describe('a record over the record size limit', () => {
  const env = {RUNLOG_MAX_RECORD_BYTES: String(1 << 20)}
  const big = makeRun('bigrec', (w) => w.history(1, {big: 'x'.repeat(3 << 20), loss: 2}))
  const warning = '1 record(s) larger than the 1,048,576-byte record limit skipped'

  it('history, ls and summarize skip it with a warning saying how many bytes; every other record is kept', async () => {
    const jsonl = await runlogInProcess(['history', big, '--format', 'jsonl'], {env})
    expect(jsonl.status).toBe(0)
    expect(
      jsonl.stdout
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as {_step: number})._step),
    ).toEqual([0, 2])
    expect(jsonl.stderr).toContain(`run-bigrec.wandb: ${warning} (3,146,`)
    expect(jsonl.stderr).toMatch(/ byte\(s\), first at byte \d+; RUNLOG_MAX_RECORD_BYTES sets the limit\); every other/)
    const ls = await runlogInProcess(['ls', join(dir, 'bigrec'), '--json'], {env})
    expect(ls.status).toBe(0)
    const [row] = JSON.parse(ls.stdout) as Array<{history_rows: number; unreadable_bytes: number; state: string}>
    expect(row).toMatchObject({history_rows: 2, state: 'finished'})
    expect(row.unreadable_bytes).toBeGreaterThan(3 << 20)
    const sum = await runlogInProcess(['summarize', big, '--json'], {env})
    expect(sum.status).toBe(0)
    const s = JSON.parse(sum.stdout) as {run: {steps: number}; warnings: string[]}
    expect(s.run.steps).toBe(2)
    expect(s.warnings.some((w) => w.includes(warning))).toBe(true)
  })
})

describe('long lines in trainer output', () => {
  const env = {RUNLOG_MAX_LINE_BYTES: String(64 * 1024)}
  const log = [verl(1), bar(2 << 20), 'x'.repeat(300_000), verl(2), ''].join('\n')
  const skipped = `${(300_000 - 64 * 1024).toLocaleString('en-US')} byte(s) past that limit were skipped`

  /** The figures of both steps: the line before and the line after the monsters were read. */
  function expectBothSteps(stdout: string): {warnings: string[]} {
    type Summary = {run: {steps: number}; datasets: Array<{source: string; avg_reward: number}>; warnings: string[]}
    const s = JSON.parse(stdout) as Summary
    expect(s.run.steps).toBe(2)
    expect(s.datasets).toMatchObject([{source: 'gsm8k', avg_reward: 0.5}])
    return s
  }

  it('summarize train.log and --stdout LOG: a 2 MB \\r bar and a 300 KB line, cut with a warning', async () => {
    const path = join(dir, 'train.log')
    writeFileSync(path, log)
    const r = await runlogInProcess(['summarize', path, '--json'], {env})
    expect(r.status).toBe(0)
    const s = expectBothSteps(r.stdout)
    const cut = `${path}: line 3 holds more than 65,536 bytes without a line break: ${skipped}`
    expect(s.warnings).toEqual([expect.stringContaining(cut)])
    const run = makeRun('plain', () => {})
    const withStdout = await runlogInProcess(['summarize', run, '--stdout', path, '--json'], {env})
    expect(withStdout.status).toBe(0)
    expect(expectBothSteps(withStdout.stdout).warnings).toContainEqual(expect.stringContaining(skipped))
  })

  it('the cut line is a reading problem: said on stderr, not in the report (as the damage of a .wandb)', async () => {
    const path = join(dir, 'train-stderr.log')
    writeFileSync(path, log)
    const r = await runlogInProcess(['summarize', path], {env})
    expect(r.status).toBe(0)
    expect(r.stderr).toContain(`warning: ${path}: line 3 holds more than 65,536 bytes`)
    expect(r.stdout).not.toContain('without a line break')
  })

  it("summarize RUN: the same console inside the run's output records", async () => {
    const run = makeRun('console', (w) => {
      for (let i = 0; i < log.length; i += 100_000) w.output('stdout', log.slice(i, i + 100_000), 1_767_225_601)
    })
    const r = await runlogInProcess(['summarize', run, '--json'], {env})
    expect(r.status).toBe(0)
    const cut = expect.stringContaining(`the run's console: line 3 holds more than`)
    expect(expectBothSteps(r.stdout).warnings).toContainEqual(cut)
  })
})
