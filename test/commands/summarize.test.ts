import {cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {DuckDBInstance} from '@duckdb/node-api'
import {describe, expect, it} from 'vitest'
import {runlogInProcess} from '../helpers/in-process-cli.js'
import {expectDeepClose} from '../helpers/deep-close.js'
import {FIXTURES, GRPO_RUN, GRPO_SAMPLE} from '../helpers/fixtures.js'
import {HF_EVAL, HF_TRAIN, hfWandbRun} from '../helpers/hf-run.js'

const tmp = () => mkdtempSync(join(tmpdir(), 'runlog-cmd-'))

describe('runlog summarize', () => {
  it('--json prints exactly the documented object', async () => {
    const r = await runlogInProcess(['summarize', GRPO_RUN, '--json'])
    expect(r.status).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(Object.keys(out)).toEqual([
      'run',
      'datasets',
      'splits',
      'judge',
      'cost',
      'checks',
      'metrics',
      'warnings',
      'diagnosis',
    ])
    expect(Object.keys(out.run)).toEqual([
      'id',
      'name',
      'project',
      'state',
      'exit_code',
      'steps',
      'wandb_version',
      'sources',
      'error',
    ])
    expect(Object.keys(out.datasets[0])).toEqual([
      'split',
      'source',
      'correct',
      'count',
      'accuracy',
      'ci_low',
      'ci_high',
      'avg_reward',
      'avg_cost',
      'origin',
    ])
    expect(Object.keys(out.splits[0])).toEqual(['split', 'correct', 'count', 'accuracy', 'ci_low', 'ci_high'])
    expect(Object.keys(out.diagnosis[0])).toEqual([
      'kind',
      'severity',
      'split',
      'source',
      'from_step',
      'to_step',
      'value',
      'threshold',
      'message',
    ])
    expect(Object.keys(out.judge)).toEqual([
      'calls',
      'success',
      'parse_failures',
      'api_failures',
      'success_rate',
      'parse_failure_rate',
      'api_failure_rate',
      'correct',
      'incorrect',
      'correct_ratio',
      'origin',
    ])
    expect(Object.keys(out.cost)).toEqual([
      'total_cost',
      'samples',
      'avg_cost_per_sample',
      'executor_calls',
      'judge_calls',
      'api_calls',
      'origin',
    ])
    expect(out.checks).toHaveLength(3)
    expect(Object.keys(out.checks[0])).toEqual(['metric', 'step', 'logged', 'recomputed'])
    expect(Object.keys(out.metrics[0])).toEqual([
      'key',
      'origin',
      'points',
      'first_step',
      'last_step',
      'first',
      'last',
      'min',
      'max',
    ])
    // every logged per-step metric, once: the run's history keys (wandb's own _step, _runtime, _timestamp left out)
    const jsonl = (await runlogInProcess(['history', GRPO_RUN, '--format', 'jsonl'])).stdout.trim().split('\n')
    const history = jsonl.map((l) => JSON.parse(l) as Record<string, unknown>)
    const numeric = new Set(
      history.flatMap((row) => Object.keys(row).filter((k) => !k.startsWith('_') && typeof row[k] === 'number')),
    )
    const keys = out.metrics.map((m: {key: string}) => m.key)
    expect(new Set(keys).size).toBe(keys.length)
    for (const k of numeric) expect(keys, k).toContain(k)
    const accuracy = out.metrics.find((m: {key: string}) => m.key === 'train/accuracy')
    const values = history.filter((row) => typeof row['train/accuracy'] === 'number')
    expect(accuracy).toMatchObject({
      origin: 'wandb',
      points: values.length,
      first: values[0]['train/accuracy'],
      last: values.at(-1)!['train/accuracy'],
    })
  })

  it('human output: tables with the figures, the checks and the warnings; md and csv too', async () => {
    const t = await runlogInProcess(['summarize', GRPO_RUN])
    expect(t.status).toBe(0)
    expect(t.stdout).toMatch(/grpo-seed1 \(agent-prompt\) — finished, exit 0, 30 steps, wandb 0\.23\.0/)
    expect(t.stdout).toMatch(/│ train │ math\s+│\s+28 │\s+64 │\s+43\.8 % \(32\.3–55\.9\) │/)
    expect(t.stdout).toMatch(/dataset\/humaneval\/accuracy │\s+14 │/)
    expect(t.stdout).toMatch(/│ \$0\.291 │/)
    const md = (await runlogInProcess(['summarize', GRPO_RUN, '--format', 'md'])).stdout
    expect(md).toMatch(/^## grpo-seed1/m)
    expect(md).toMatch(/^\| train \| math \| 28 \| 64 \| 43\.8 % \(32\.3–55\.9\) \|/m)
    expect(md).toMatch(/^### Diagnosis \(1 notice\)\n\n- \*\*notice\*\* train: math is the weakest dataset/m)
    const csv = (await runlogInProcess(['summarize', GRPO_RUN, '--format', 'csv'])).stdout
    expect(csv).toMatch(/^section,split,dataset,correct,count,accuracy,accuracy ci_low,accuracy ci_high,/m)
    expect(csv).toMatch(/^Accuracy per dataset,train,math,28,64,43\.75,32\.29\d+,55\.91\d+,/m)
    expect(csv).toMatch(/^Diagnosis,dataset_gap,notice,train,math,,,34\.82\d+,,/m)
  })

  it('with no argument, reads ./wandb/latest-run', async () => {
    const dir = tmp()
    mkdirSync(join(dir, 'wandb'))
    cpSync(GRPO_RUN, join(dir, 'wandb', 'offline-run-20251124_010713-ieqh524y'), {recursive: true})
    symlinkSync('offline-run-20251124_010713-ieqh524y', join(dir, 'wandb', 'latest-run'))
    const r = await runlogInProcess(['summarize', '--json'], {cwd: dir})
    expect(r.status).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(out.run.id).toBe('ieqh524y')
    expect(out.cost.samples).toBe(276)
  })

  it('--all summarizes every run below a folder (a sweep), one entry each', async () => {
    const dir = tmp()
    cpSync(GRPO_RUN, join(dir, 'sweep', 'offline-run-20251124_010713-ieqh524y'), {recursive: true})
    cpSync(
      join(FIXTURES, 'corpus', 'alpaca__run-20231106_034002-m84hjf9m'),
      join(dir, 'sweep', 'run-20231106_034002-m84hjf9m'),
      {recursive: true},
    )
    const r = await runlogInProcess(['summarize', join(dir, 'sweep'), '--all', '--json'], {
      env: {RUNLOG_PARALLEL_MIN_BYTES: '0'},
    })
    expect(r.status, r.stderr).toBe(0)
    const out = JSON.parse(r.stdout) as Array<{run: {id: string}; cost: {samples: number | null}; datasets: unknown[]}>
    expect(out.map((s) => s.run.id).sort()).toEqual(['ieqh524y', 'm84hjf9m'])
    const grpo = out.find((s) => s.run.id === 'ieqh524y')!
    expect(grpo.cost.samples).toBe(276)
    expect(out.find((s) => s.run.id === 'm84hjf9m')!.datasets).toEqual([])
    const human = (await runlogInProcess(['summarize', join(dir, 'sweep'), '--all'])).stdout
    expect(human).toMatch(/│ ieqh524y │ grpo-seed1 │ finished │\s+30 │\s+52\.9%/)
    expect((await runlogInProcess(['summarize', tmp(), '--all'])).status).toBe(1)
  })

  it('clear one-line errors for a missing run and an unreadable log', async () => {
    const dir = tmp()
    const missing = await runlogInProcess(['summarize', join(dir, 'nope')])
    expect(missing.status).toBe(1)
    expect(missing.stderr.trim()).toBe(`runlog: ${join(dir, 'nope')}: no such file or directory`)
    const noLatest = await runlogInProcess(['summarize'], {cwd: dir})
    expect(noLatest.status).toBe(1)
    expect(noLatest.stderr.trim().split('\n')).toHaveLength(1)
    const binary = join(dir, 'train.log')
    writeFileSync(binary, Buffer.from([0, 1, 2, 3, 255, 0, 0, 7, 8, 0, 0, 0]))
    const bad = await runlogInProcess(['summarize', binary])
    expect(bad.status).toBe(1)
    expect(bad.stderr).toMatch(/train\.log: /)
    expect(bad.stderr.trim().split('\n')).toHaveLength(1)
    const badStdout = await runlogInProcess(['summarize', GRPO_RUN, '--stdout', join(dir, 'missing.log')])
    expect(badStdout.status).toBe(1)
    expect(badStdout.stderr).toMatch(/missing\.log/)
  })

  it('--db keeps the database, and query runs SQL over the same tables', async () => {
    const dir = tmp()
    const db = join(dir, 'run.duckdb')
    expect((await runlogInProcess(['summarize', GRPO_RUN, '--db', db, '--json'])).status).toBe(0)
    const inst = await DuckDBInstance.create(db)
    const c = await inst.connect()
    const rows = (
      await c.runAndReadAll(
        `SELECT correct::INT AS correct, count::INT AS count FROM dataset_figures WHERE split = 'train' AND source = 'math'`,
      )
    ).getRowObjectsJS()
    expect(rows).toEqual([{correct: 28, count: 64}])
    // A database kept from a runlog that had these as the other kind of object: summarize again into it.
    await c.run(
      'DROP TABLE step_datasets; CREATE VIEW step_datasets AS SELECT 1 AS x; DROP VIEW logged_values; CREATE TABLE logged_values AS SELECT 1 AS x',
    )
    c.closeSync()
    inst.closeSync()
    const again = await runlogInProcess(['summarize', GRPO_RUN, '--db', db, '--json'])
    expect(again.status, again.stderr).toBe(0)
    expect(JSON.parse(again.stdout).datasets).toEqual(
      JSON.parse((await runlogInProcess(['summarize', GRPO_RUN, '--json'])).stdout).datasets,
    )
    const q = await runlogInProcess([
      'query',
      GRPO_RUN,
      'SELECT split, count(*)::INT AS n FROM chosen_samples GROUP BY split ORDER BY split',
      '--json',
    ])
    expect(q.status).toBe(0)
    expect(JSON.parse(q.stdout)).toEqual([
      {split: 'train', n: 240},
      {split: 'val', n: 36},
    ])
    const badSql = await runlogInProcess(['query', GRPO_RUN, 'SELEC nothing'])
    expect(badSql.status).toBe(1)
    expect(badSql.stderr).toMatch(/^runlog: query: /)
  })

  it('a --db file that cannot be opened is one clear error, whether or not the run reads (DuckDB opens while the run is read)', async () => {
    const db = join(tmp(), 'no-such-dir', 'run.duckdb')
    const good = await runlogInProcess(['summarize', GRPO_RUN, '--db', db, '--json'])
    expect(good.status).toBe(1)
    expect(good.stdout).toBe('')
    expect(good.stderr).toMatch(/^runlog: .*no-such-dir\/run\.duckdb: cannot open DuckDB database .*\n$/)
    const bad = await runlogInProcess(['summarize', join(tmp(), 'missing-run'), '--db', db])
    expect(bad.status).toBe(1)
    expect(bad.stderr).toMatch(/^runlog: .*missing-run: no such file or directory\n$/)
    expect(bad.stderr).not.toMatch(/Unhandled|at /)
  })

  it('says in one line when DuckDB runs out of memory, and how to give it more', async () => {
    const r = await runlogInProcess(['summarize', GRPO_RUN, '--json'], {env: {RUNLOG_DUCKDB_MEMORY: '1MB'}})
    expect(r.status).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(
      /^runlog: DuckDB ran out of memory \(.*\); give it more with RUNLOG_DUCKDB_MEMORY \(now 1MB\)\n$/,
    )
    const bad = await runlogInProcess(['summarize', GRPO_RUN], {env: {RUNLOG_DUCKDB_MEMORY: 'lots'}})
    expect(bad.status).toBe(1)
    expect(bad.stderr).toBe('runlog: RUNLOG_DUCKDB_MEMORY: "lots" is not a memory size (e.g. 512MB, 2GB)\n')
  })
})

describe('runlog compare', () => {
  it('puts runs side by side per dataset with the gap in points, largest first', async () => {
    const p30 = join(FIXTURES, 'trainer-logs', 'training_p30.log')
    const r = await runlogInProcess(['compare', GRPO_RUN, p30, '--json'])
    expect(r.status).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(Object.keys(out)).toEqual(['runs', 'datasets', 'splits', 'judge', 'cost', 'diagnosis'])
    expect(Object.keys(out.datasets[0])).toEqual([
      'split',
      'source',
      'accuracy',
      'ci_low',
      'ci_high',
      'count',
      'delta_pp',
      'significant',
    ])
    expect(out.runs.map((x: {id: string}) => x.id)).toEqual(['ieqh524y', 'training_p30'])
    const gsm = out.datasets.find((d: {split: string; source: string}) => d.split === 'train' && d.source === 'gsm8k')
    expect(gsm.count).toEqual([48, 142])
    expect(gsm.delta_pp).toBeCloseTo((100 * 69) / 142 - (100 * 25) / 48, 9)
    const squad = out.datasets.find((d: {source: string}) => d.source === 'squad_v2')
    expect(squad.accuracy[0]).toBeNull()
    expect(squad.delta_pp).toBeNull()
    expect(out.cost[1].total_cost).toBeNull()
    const human = (await runlogInProcess(['compare', GRPO_RUN, p30])).stdout
    expect(human).toMatch(/Largest gap: /)
  })

  it('reads the runs on worker threads when there is much to read, with the same result', async () => {
    const runs = [
      GRPO_RUN,
      join(FIXTURES, 'trainer-logs', 'training_p30.log'),
      join(FIXTURES, 'trainer-logs', 'training_p29.log'),
    ]
    const single = await runlogInProcess(['compare', ...runs, '--json'], {env: {RUNLOG_THREADS: '1'}})
    const parallel = await runlogInProcess(['compare', ...runs, '--json'], {
      env: {RUNLOG_THREADS: '2', RUNLOG_PARALLEL_MIN_BYTES: '0'},
    })
    expect(parallel.status, parallel.stderr).toBe(0)
    expectDeepClose(JSON.parse(parallel.stdout), JSON.parse(single.stdout))
    const lsSingle = await runlogInProcess(['ls', join(FIXTURES, 'corpus'), '--json'], {env: {RUNLOG_THREADS: '1'}})
    const lsParallel = await runlogInProcess(['ls', join(FIXTURES, 'corpus'), '--json'], {
      env: {RUNLOG_THREADS: '2', RUNLOG_PARALLEL_MIN_BYTES: '0'},
    })
    expect(lsParallel.stdout).toBe(lsSingle.stdout)
    // A run that cannot be read is skipped with one line (see robustness.test.ts); none read is exit 1.
    const nope = [join(FIXTURES, 'nope'), join(FIXTURES, 'nope2')]
    const bad = await runlogInProcess(['compare', ...nope], {env: {RUNLOG_PARALLEL_MIN_BYTES: '0'}})
    expect(bad.status).toBe(1)
    expect(bad.stderr).toMatch(/nope: no such file or directory/)
  })

  it('parses a big run’s console on a worker while reading its log, with the same result', async () => {
    const inline = await runlogInProcess(['summarize', GRPO_RUN, '--json'], {
      env: {RUNLOG_PARALLEL_MIN_BYTES: '999999999999'},
    })
    const pipelined = await runlogInProcess(['summarize', GRPO_RUN, '--json'], {env: {RUNLOG_PARALLEL_MIN_BYTES: '0'}})
    expect(pipelined.status, pipelined.stderr).toBe(0)
    expectDeepClose(JSON.parse(pipelined.stdout), JSON.parse(inline.stdout))
  })

  it('keeps two copies of the same run apart', async () => {
    const r = await runlogInProcess(['compare', GRPO_RUN, join(GRPO_SAMPLE, 'train.log'), '--json'])
    const out = JSON.parse(r.stdout)
    for (const d of out.datasets) expect(d.delta_pp).toBeCloseTo(0, 9)
  })
})

describe('runlog efficiency', () => {
  it('--json prints best, steps and pareto', async () => {
    const r = await runlogInProcess(['efficiency', GRPO_RUN, '--json'])
    expect(r.status).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(Object.keys(out)).toEqual(['best', 'steps', 'pareto'])
    expect(out.best.step).toBe(28)
    expect(Object.keys(out.best)).toEqual(['step', 'cost', 'correct', 'samples', 'accuracy', 'cost_per_correct'])
    expect(out.steps).toHaveLength(30)
    const human = (await runlogInProcess(['efficiency', GRPO_RUN, '--top', '3'])).stdout
    expect(human).toMatch(/Best step: 28/)
    expect((await runlogInProcess(['efficiency', GRPO_RUN, '--window', '0'])).status).toBe(2)
  })
})

describe('summarize on runs of other trainers', () => {
  it('verl: the per-dataset validation reward it logged, and its own per-step metrics', async () => {
    const log = join(FIXTURES, 'trainer-logs', 'verl-ppo__dstack-configs__verl_demo.log')
    const out = JSON.parse((await runlogInProcess(['summarize', log, '--json'])).stdout)
    expect(out.datasets).toHaveLength(1)
    expect(out.datasets[0]).toMatchObject({
      split: 'val',
      source: 'openai/gsm8k',
      correct: null,
      count: null,
      accuracy: null,
      origin: 'logged',
    })
    // the last `val-core/openai/gsm8k/reward/mean@1` value in the log
    const text = readFileSync(log, 'utf8')
    const values = [...text.matchAll(/val-core\/openai\/gsm8k\/reward\/mean@1:([0-9.]+)/g)].map((m) => Number(m[1]))
    expect(out.datasets[0].avg_reward).toBeCloseTo(values[values.length - 1], 9)
    expect(out.judge.origin).toBe('none')
    expect(out.cost.total_cost).toBeNull()
    const human = (await runlogInProcess(['summarize', log])).stdout
    expect(human).toMatch(/Per-step metrics the trainer logged/)
    expect(human).toMatch(/│ val-core\/openai\/gsm8k\/reward\/mean@1 │ verl/)
    expect(human).toMatch(/No evidence in this run for: LLM-judge figures, API cost\./)
    expect(human).not.toMatch(/LLM judge\n/)
  })

  it('every per-step metric in --json; the table shows 30 and says how many more, --metrics all|N', async () => {
    const log = join(FIXTURES, 'trainer-logs', 'verl-ppo__dstack-configs__verl_demo.log')
    // the keys of the log's `step:N - key:value - …` lines, tallied here without the parser
    const keys = new Set<string>()
    for (const line of readFileSync(log, 'utf8').split('\n'))
      if (/step:\d+ - /.test(line)) for (const m of line.matchAll(/ - ([^\s:]+):\S+/g)) keys.add(m[1])
    expect(keys.size).toBe(68)
    const out = JSON.parse((await runlogInProcess(['summarize', log, '--json'])).stdout)
    expect(out.metrics.map((m: {key: string}) => m.key).sort()).toEqual([...keys].sort())
    expect(out.metrics[0]).toMatchObject({key: 'val-core/openai/gsm8k/reward/mean@1', origin: 'verl', points: 34})
    const rows = (text: string) => text.split('\n').filter((l) => /^│ [\w@/.-]+\s+│ verl /.test(l)).length
    const human = (await runlogInProcess(['summarize', log])).stdout
    expect(rows(human)).toBe(30)
    expect(human).toContain('… 38 more (--metrics all)')
    const all = (await runlogInProcess(['summarize', log, '--metrics', 'all'])).stdout
    expect(rows(all)).toBe(68)
    expect(all).not.toContain('more (--metrics all)')
    const five = await runlogInProcess(['summarize', log, '--metrics', '5', '--format', 'md'])
    expect(five.stdout.split('\n').filter((l) => /^\| [\w@/.-]+ \| verl \|/.test(l))).toHaveLength(5)
    expect(five.stdout).toContain('… 63 more (--metrics all)')
    const csv = (await runlogInProcess(['summarize', log, '--format', 'csv'])).stdout
    expect(csv.split('\n').filter((l) => l.startsWith('Per-step metrics the trainer logged,'))).toHaveLength(68)
    const bad = await runlogInProcess(['summarize', log, '--metrics', 'many'])
    expect(bad.status).toBe(2)
    expect(bad.stderr).toContain('--metrics takes a number ≥ 1 or "all"')
    expect((await runlogInProcess(['summarize', log, '--metrics', '0'])).status).toBe(2)
  })

  it('HF Trainer: a metric printed and logged to wandb is one row, from the history, on its steps', async () => {
    const out = JSON.parse((await runlogInProcess(['summarize', hfWandbRun(), '--json'])).stdout)
    const byKey = new Map<string, unknown>(out.metrics.map((m: {key: string}) => [m.key, m]))
    expect(byKey.size).toBe(out.metrics.length)
    expect(byKey.get('train/loss')).toEqual({
      key: 'train/loss',
      origin: 'wandb',
      points: 4,
      first_step: 5,
      last_step: 20,
      first: HF_TRAIN[0].loss,
      last: HF_TRAIN[3].loss,
      min: HF_TRAIN[3].loss,
      max: HF_TRAIN[0].loss,
    })
    expect(byKey.get('eval/loss')).toMatchObject({
      origin: 'wandb',
      points: 2,
      first_step: 8,
      last_step: 16,
      first: HF_EVAL[0].loss,
      last: HF_EVAL[1].loss,
    })
    expect(byKey.get('train/train_loss')).toMatchObject({origin: 'wandb', points: 1, first: 0.857314})
    // the printed copies (`loss`, `eval_loss`, `epoch`, …) are not rows of their own
    expect([...byKey.keys()].filter((k) => !k.includes('/'))).toEqual([])
    expect(out.warnings).toEqual([])
  })

  it('an HF Trainer run from wandb: its logged metrics, no empty tables', async () => {
    const human = (
      await runlogInProcess(['summarize', join(FIXTURES, 'corpus', 'alpaca__run-20231106_034002-m84hjf9m')])
    ).stdout
    expect(human).toMatch(/│ train\/loss\s+│ wandb\s+│\s+120 │\s+1\.5322 │\s+0\.3627/)
    expect(human).toMatch(/No evidence in this run for: per-dataset accuracy, LLM-judge figures, API cost\./)
  })
})
