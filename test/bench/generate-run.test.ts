import {execFile} from 'node:child_process'
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runlogInProcess} from '../helpers/in-process-cli.js'
import {generateRun, generateRuns, type GeneratedRun} from '../helpers/generated-run.js'
import {ROOT} from '../helpers/fixtures.js'
import type {ExpectedDataset as PerSource, ExpectedRun, ExpectedStep} from '../helpers/expected-run.js'

// The benchmark generator (bench/generate-run.js) writes a run in the format of test/fixtures/grpo-sample and knows the
// answers (expected.json). runlog must recompute exactly those answers from the run: that is what makes the benchmark
// measure real work (a run whose console the parser could not read would give other figures, or warnings).
// Needs dist/ (the CLI runs from it) and the compiled .wandb writer in build/support (built here when missing).

/** A generated run's step: a step with no correct answer has no cost per correct answer. */
type StepFigure = Omit<ExpectedStep, 'cost_per_correct'> & {cost_per_correct: number | null}
/** The generator's expected.json: the sample's shape, plus where the run was written. */
interface Expected extends Omit<ExpectedRun, 'steps'> {
  run_id: string
  run_dir: string
  stdout: string | null
  steps: StepFigure[]
}
interface SummaryJson {
  run: {id: string; state: string; exit_code: number | null; steps: number}
  datasets: Array<{split: string; source: string; origin: string} & PerSource>
  judge: Record<string, number | string>
  cost: Record<string, number | string>
  checks: Array<{metric: string; step: number; logged: number; recomputed: number}>
  warnings: string[]
}

const STEPS = 40
/** A run of the judge-outage test: a parse outage and a dataset made harder. */
const OUTAGE_OPTIONS = {
  steps: 20,
  seed: 7,
  judgeOutage: {from: 6, to: 9, kind: 'parse'},
  hardDataset: {source: 'gsm8k'},
}
/** The trainer's known bug (as in the sample): its cost/total_samples and cost/avg_cost_per_sample count API calls. */
const API_CALLS_WARNING =
  /^the trainer's cost\/(total_samples|avg_cost_per_sample) and cost\/(total_samples|avg_cost_per_sample) count API calls, not samples/

/** Equal within 1e-9 relative (exact for integers and for 0). */
function close(got: unknown, want: number, what: string): void {
  expect(typeof got, what).toBe('number')
  const g = got as number
  const tol = 1e-9 * Math.max(Math.abs(want), Math.abs(g))
  expect(Math.abs(g - want) <= tol, `${what}: got ${g}, want ${want}`).toBe(true)
}

function expectDatasets(s: SummaryJson, e: Expected): void {
  for (const split of ['train', 'val'] as const) {
    const got = s.datasets.filter((d) => d.split === split)
    expect(got.map((d) => d.source).sort(), `${split} datasets`).toEqual(Object.keys(e[split]).sort())
    for (const d of got) {
      const w = e[split][d.source]
      expect(d.origin).toBe('samples')
      for (const k of ['correct', 'count', 'accuracy', 'avg_reward', 'avg_cost'] as const)
        close(d[k], w[k], `${split} ${d.source} ${k}`)
    }
  }
}

function expectJudgeAndCost(s: SummaryJson, e: Expected): void {
  for (const [k, v] of Object.entries(e.judge)) close(s.judge[k], v, `judge.${k}`)
  for (const [k, v] of Object.entries(e.cost)) close(s.cost[k], v, `cost.${k}`)
  close(s.cost.api_calls, e.cost.executor_calls + e.cost.judge_calls, 'cost.api_calls')
}

describe.concurrent('bench/generate-run.js', () => {
  let root: string
  let out: string
  let runDir: string
  let expected: Expected
  let generated: {bytes: number; steps: number; records: number; tables: number}
  let outageRun: GeneratedRun
  let bigRun: GeneratedRun

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'build', 'support', 'test', 'support', 'wandb-writer.js'))) {
      const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc')
      await promisify(execFile)(process.execPath, [tsc, '-p', join(ROOT, 'test', 'support', 'tsconfig.json')])
    }
    // The runs of several tests, each in its own folder, made in one child process.
    root = mkdtempSync(join(tmpdir(), 'runlog-gen-'))
    out = join(root, 'run')
    const [r, outage, big] = await generateRuns([
      {steps: STEPS, out, seed: 7, trainLog: true},
      {...OUTAGE_OPTIONS, out: join(root, 'outage')},
      {steps: 300, out: join(root, 'big'), seed: 11},
    ])
    outageRun = outage
    bigRun = big
    runDir = r.runDir
    generated = r
    expected = JSON.parse(readFileSync(join(out, 'expected.json'), 'utf8')) as Expected
  })
  afterAll(() => {
    if (root) rmSync(root, {recursive: true, force: true})
  })

  it('writes a run directory like the sample: .wandb, metadata, one Table per step and per validation pass', async () => {
    expect(readdirSync(out).sort()).toEqual(['expected.json', expected.run_dir, 'train.log'].sort())
    expect(expected.last_step).toBe(STEPS)
    expect(expected.steps.map((s) => s.step)).toEqual(Array.from({length: STEPS}, (_, i) => i + 1))
    const tables = readdirSync(join(runDir, 'files', 'media', 'table'))
    expect(tables.filter((f) => /^samples_\d+_[0-9a-f]{20}\.table\.json$/.test(f))).toHaveLength(STEPS)
    expect(tables.filter((f) => /^val_samples_\d+_[0-9a-f]{20}\.table\.json$/.test(f))).toHaveLength(STEPS / 10)
    expect(generated.tables).toBe(STEPS + STEPS / 10)
    expect(statSync(join(runDir, `run-${expected.run_id}.wandb`)).size).toBe(generated.bytes)
  })

  it('is deterministic: the same options give the same bytes', async () => {
    const again = mkdtempSync(join(tmpdir(), 'runlog-gen-'))
    try {
      const r = await generateRun({steps: 5, out: again, seed: 7})
      const r2 = await generateRun({steps: 5, out: join(again, 'b'), seed: 7})
      expect(readFileSync(r2.wandbFile).equals(readFileSync(r.wandbFile))).toBe(true)
    } finally {
      rmSync(again, {recursive: true, force: true})
    }
  })

  it('--judge-outage FROM-TO:KIND@FAIL_RATE: a partial outage from the command line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runlog-gen-'))
    try {
      const script = join(ROOT, 'bench', 'generate-run.js')
      const args = ['--steps', '3', '--verbosity', '0', '--out', dir, '--judge-outage', '1-2:parse@0.5']
      await promisify(execFile)(process.execPath, [script, ...args])
      const e = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as {judge_outage: unknown}
      expect(e.judge_outage).toEqual({from: 1, to: 2, kind: 'parse', failRate: 0.5})
      const bad = await promisify(execFile)(process.execPath, [script, ...args.slice(0, -1), '1-2@2']).catch((x) => x)
      expect(bad.code).toBe(1)
      expect(bad.stderr).toContain('--judge-outage wants FROM-TO[:api|parse][@FAIL_RATE]')
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })

  it('a judge outage and a hard dataset: the answers still hold, the outage steps fail, the hard dataset is the weakest', async () => {
    const opts = OUTAGE_OPTIONS
    const r = outageRun
    const e = JSON.parse(readFileSync(join(root, 'outage', 'expected.json'), 'utf8')) as Expected & {
      judge_outage: unknown
      hard_dataset: unknown
    }
    expect(e.judge_outage).toEqual(opts.judgeOutage)
    expect(e.hard_dataset).toEqual(opts.hardDataset)
    const s = JSON.parse((await runlogInProcess(['summarize', r.runDir, '--json'])).stdout) as SummaryJson
    expectDatasets(s, e)
    expectJudgeAndCost(s, e)
    // the outage's steps: mostly parse failures (90 %), the other steps 7 %
    const q = await runlogInProcess([
      'query',
      r.runDir,
      'SELECT step BETWEEN 6 AND 9 AS outage, avg(parse_failure_rate) AS rate FROM step_judge GROUP BY ALL ORDER BY ALL',
      '--json',
    ])
    const [normal, outage] = JSON.parse(q.stdout) as Array<{outage: boolean; rate: number}>
    expect(outage.rate).toBeGreaterThan(0.7)
    expect(normal.rate).toBeLessThan(0.2)
    const train = Object.entries(e.train).sort(([, a], [, b]) => a.accuracy - b.accuracy)
    expect(train[0][0]).toBe('gsm8k')
  })

  it('reads without damage: ls and history see every record', async () => {
    const ls = await runlogInProcess(['ls', out, '--json'])
    expect(ls.status, ls.stderr).toBe(0)
    expect(ls.stderr).toBe('')
    const [run] = JSON.parse(ls.stdout)
    expect(run).toMatchObject({
      id: expected.run_id,
      state: 'finished',
      exit_code: 0,
      steps: STEPS,
      history_rows: STEPS + STEPS / 10,
      wandb_version: '0.23.0',
      bytes: generated.bytes,
      unreadable_bytes: 0,
    })
    const h = await runlogInProcess(['history', runDir, '--format', 'jsonl'])
    expect(h.status, h.stderr).toBe(0)
    expect(h.stderr).toBe('')
    const rows = h.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(rows).toHaveLength(STEPS + STEPS / 10)
    expect(rows[0].samples).toMatchObject({_type: 'table-file', ncols: 12, nrows: 16})
    expect(Object.keys(rows[0]).filter((k) => k.startsWith('train/'))).toEqual([
      'train/accuracy',
      'train/loss',
      'train/kl_div',
      'train/num_correct',
      'train/num_total',
    ])
  })

  it('summarize --json recomputes expected.json (datasets, judge, cost, checks) with no other warning', async () => {
    const r = await runlogInProcess(['summarize', runDir, '--json'])
    expect(r.status, r.stderr).toBe(0)
    const s = JSON.parse(r.stdout) as SummaryJson
    expect(s.run).toMatchObject({id: expected.run_id, state: 'finished', exit_code: 0, steps: STEPS})
    expectDatasets(s, expected)
    expectJudgeAndCost(s, expected)
    expect(s.judge.origin).toBe('samples')
    expect(s.cost.origin).toBe('samples')
    // the trainer's logged values disagree only where the generator made its collector use the wrong threshold
    const key = (c: {metric: string; step: number}) => `${c.step} ${c.metric}`
    expect(s.checks.map(key).sort()).toEqual(expected.mismatches.map(key).sort())
    for (const m of expected.mismatches) {
      const c = s.checks.find((x) => key(x) === key(m))!
      close(c.logged, m.logged, `${key(m)} logged`)
      close(c.recomputed, m.recomputed, `${key(m)} recomputed`)
    }
    // the console parses cleanly: no incomplete sample blocks, orphan lines or unattributed samples
    expect(s.warnings).toHaveLength(1)
    expect(s.warnings[0]).toMatch(API_CALLS_WARNING)
  })

  it('efficiency --json finds the expected best step and per-step figures', async () => {
    const r = await runlogInProcess(['efficiency', runDir, '--json'])
    expect(r.status, r.stderr).toBe(0)
    const e = JSON.parse(r.stdout) as {best: StepFigure; steps: StepFigure[]}
    expect(e.best.step).toBe(expected.efficiency.best_step)
    close(e.best.cost_per_correct, expected.efficiency.best_cost_per_correct, 'best cost_per_correct')
    expect(e.steps.map((s) => s.step)).toEqual(expected.steps.map((s) => s.step))
    for (const [i, w] of expected.steps.entries()) {
      const g = e.steps[i]
      for (const k of ['samples', 'correct', 'accuracy', 'cost'] as const) close(g[k], w[k], `step ${w.step} ${k}`)
      if (w.cost_per_correct === null) expect(g.cost_per_correct).toBeNull()
      else close(g.cost_per_correct, w.cost_per_correct, `step ${w.step} cost_per_correct`)
    }
  })

  it('a console of many 1 MiB batches parsed on the worker thread (the reader waiting for it) gives the same figures as in one thread', async () => {
    // 300 steps: ~13 MB of log, more console batches than the reader lets wait for the worker (8)
    const big = join(root, 'big')
    const r = bigRun
    expect(r.bytes).toBeGreaterThan(10 * 2 ** 20)
    const e = JSON.parse(readFileSync(join(big, 'expected.json'), 'utf8')) as Expected
    // RUNLOG_PARALLEL_MIN_BYTES=0: the console goes to the parsing worker whatever the size
    const [onWorker, inline] = await Promise.all([
      runlogInProcess(['summarize', r.runDir, '--json'], {env: {RUNLOG_PARALLEL_MIN_BYTES: '0'}}),
      runlogInProcess(['summarize', r.runDir, '--json'], {env: {RUNLOG_THREADS: '1'}}),
    ])
    expect(onWorker.status, onWorker.stderr).toBe(0)
    expect(inline.status, inline.stderr).toBe(0)
    expect(onWorker.stdout).toBe(inline.stdout)
    const s = JSON.parse(onWorker.stdout) as SummaryJson
    expectDatasets(s, e)
    expectJudgeAndCost(s, e)

    // The worker writes its finished steps out every 2,000 rows (here ~12 parts per table), the history goes into
    // DuckDB 1,000 rows at a time while the log is read (12 batches of its 12,466 rows), and DuckDB, limited to
    // 64 MB, writes table blocks out too: the same output, and nothing is left in the temporary directory.
    const tmp = mkdtempSync(join(tmpdir(), 'runlog-tmp-'))
    try {
      const env = {
        RUNLOG_PARALLEL_MIN_BYTES: '0',
        RUNLOG_SETTLE_ROWS: '2000',
        RUNLOG_HISTORY_BATCH_ROWS: '1000',
        RUNLOG_DUCKDB_MEMORY: '64MB',
        TMPDIR: tmp,
      }
      const inParts = await runlogInProcess(['summarize', r.runDir, '--json'], {env})
      expect(inParts.status, inParts.stderr).toBe(0)
      expect(inParts.stdout).toBe(inline.stdout)
      expect(readdirSync(tmp)).toEqual([])
    } finally {
      rmSync(tmp, {recursive: true, force: true})
    }

    // Those parts exist: the console parsed on the worker comes back in several parts per table, every row once.
    // One child process reads the run once for both settings, feeding a parsing worker for each.
    const script = join(ROOT, 'test', 'bench', 'console-parts.js')
    const {stdout} = await promisify(execFile)(process.execPath, [script, r.runDir, '1000000000', '2000'])
    const bySetting = JSON.parse(stdout) as Record<string, Record<string, {parts: number; rows: number}>>
    const [whole, parts] = [bySetting['1000000000'], bySetting['2000']]
    expect(whole.samples).toEqual({parts: 1, rows: 300 * 16 + 30 * 12})
    expect(parts.samples.parts).toBeGreaterThan(5)
    for (const name of Object.keys(whole)) expect(parts[name].rows, name).toBe(whole[name].rows)
  })

  it('its console alone (train.log, the stdout stream) gives the same figures', async () => {
    const r = await runlogInProcess(['summarize', join(out, 'train.log'), '--json'])
    expect(r.status, r.stderr).toBe(0)
    const s = JSON.parse(r.stdout) as SummaryJson
    expect(s.run.steps).toBe(STEPS)
    expectDatasets(s, expected)
    expectJudgeAndCost(s, expected)
    expect(s.warnings).toEqual([])
  })
})
