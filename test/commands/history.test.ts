import {DuckDBInstance} from '@duckdb/node-api'
import {copyFileSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {tableFromIPC} from 'apache-arrow'
import {describe, expect, it} from 'vitest'
import {runlogInProcess} from '../helpers/in-process-cli.js'
import {CORPUS, FIXTURES, HISTORY_EXPECTED} from '../helpers/fixtures.js'

const ALPACA = 'alpaca__run-20231106_034002-m84hjf9m'
const RUN = join(CORPUS, ALPACA)
const tmp = () => mkdtempSync(join(tmpdir(), 'runlog-history-'))

describe('runlog history', () => {
  it('--format jsonl on a run directory and on the .wandb file equals the expected output', async () => {
    const expected = readFileSync(join(HISTORY_EXPECTED, `${ALPACA}.history.jsonl`), 'utf8')
    const fromDir = await runlogInProcess(['history', RUN, '--format', 'jsonl'])
    expect(fromDir.status).toBe(0)
    expect(fromDir.stdout).toBe(expected)
    const out = join(tmp(), 'h.jsonl')
    const fromFile = await runlogInProcess([
      'history',
      join(RUN, 'run-m84hjf9m.wandb'),
      '--format',
      'jsonl',
      '--output',
      out,
    ])
    expect(fromFile.status).toBe(0)
    expect(readFileSync(out, 'utf8')).toBe(expected)
  })

  it('--keys keeps only the asked keys (globs too) plus _step', async () => {
    const r = await runlogInProcess(['history', RUN, '--format', 'jsonl', '--keys', 'train/loss,train/learning_*'])
    const rows = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
    const expected = readFileSync(join(HISTORY_EXPECTED, `${ALPACA}.history.jsonl`), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((o) => 'train/loss' in o || 'train/learning_rate' in o)
    expect(rows.length).toBe(expected.length)
    expect(rows[0]).toEqual({
      'train/loss': expected[0]['train/loss'],
      'train/learning_rate': expected[0]['train/learning_rate'],
      _step: 0,
    })
  })

  it('json, csv and table agree with jsonl', async () => {
    const jsonl = (await runlogInProcess(['history', RUN, '--format', 'jsonl'])).stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    const json = JSON.parse((await runlogInProcess(['history', RUN, '--format', 'json'])).stdout)
    expect(json).toEqual(jsonl)
    const csv = (await runlogInProcess(['history', RUN, '--format', 'csv', '--keys', 'train/loss'])).stdout
      .trim()
      .split('\n')
    expect(csv[0]).toBe('_step,train/loss')
    expect(csv.length - 1).toBe(jsonl.filter((o: Record<string, unknown>) => 'train/loss' in o).length)
    expect(csv[1]).toBe(`0,${jsonl[0]['train/loss']}`)
    const table = (await runlogInProcess(['history', RUN, '--keys', 'train/loss'])).stdout
    expect(table).toContain('train/loss')
    expect(table).toContain('1.5322')
  })

  it('arrow and parquet write the long-form history table', async () => {
    const dir = tmp()
    const jsonl = readFileSync(join(HISTORY_EXPECTED, `${ALPACA}.history.jsonl`), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    const values = jsonl.reduce((n: number, o: object) => n + Object.keys(o).length, 0)
    expect((await runlogInProcess(['history', RUN, '--format', 'arrow', '-o', join(dir, 'h.arrow')])).status).toBe(0)
    const t = tableFromIPC(readFileSync(join(dir, 'h.arrow')))
    expect(t.numRows).toBe(values)
    expect(t.schema.fields.map((f) => f.name)).toEqual([
      'run_id',
      'row',
      'step',
      'key',
      'value',
      'value_json',
      'runtime',
      'timestamp',
    ])
    expect((await runlogInProcess(['history', RUN, '--format', 'parquet', '-o', join(dir, 'h.parquet')])).status).toBe(
      0,
    )
    const db = await DuckDBInstance.create(':memory:')
    const c = await db.connect()
    const rows = (
      await c.runAndReadAll(
        `SELECT count(*)::INT n, sum(value) FILTER (WHERE key = 'train/loss') loss FROM '${join(dir, 'h.parquet')}'`,
      )
    ).getRowObjectsJS()
    const loss = jsonl.reduce((s: number, o: Record<string, number>) => s + (o['train/loss'] ?? 0), 0)
    expect(rows[0].n).toBe(values)
    expect(rows[0].loss as number).toBeCloseTo(loss, 9)
    const noOutput = await runlogInProcess(['history', RUN, '--format', 'parquet'])
    expect(noOutput.status).toBe(1)
    expect(noOutput.stderr).toMatch(/--output/)
  })

  it('bad input: one line naming the file, exit 1; bad flags exit 2; never a stack trace', async () => {
    const dir = tmp()
    const missing = await runlogInProcess(['history', join(dir, 'nope')])
    expect(missing.status).toBe(1)
    expect(missing.stderr.trim().split('\n')).toEqual([`runlog: ${join(dir, 'nope')}: no such file or directory`])
    const notLog = join(dir, 'run-x.wandb')
    writeFileSync(notLog, 'hello world, not a wandb file')
    const bad = await runlogInProcess(['history', notLog])
    expect(bad.status).toBe(1)
    expect(bad.stderr).toMatch(/run-x\.wandb: not a wandb log/)
    expect(bad.stderr).not.toMatch(/\n\s+at /)
    const emptyDir = await runlogInProcess(['history', tmp()])
    expect(emptyDir.status).toBe(1)
    expect(emptyDir.stderr).toMatch(/no \.wandb log/)
    const flag = await runlogInProcess(['history', RUN, '--format', 'xml'])
    expect(flag.status).toBe(2)
  })

  it('damaged but partly readable: the data plus a warning, exit 0', async () => {
    const dir = tmp()
    const src = join(RUN, 'run-m84hjf9m.wandb')
    const copy = join(dir, 'run-m84hjf9m.wandb')
    copyFileSync(src, copy)
    const bytes = readFileSync(copy)
    writeFileSync(copy, bytes.subarray(0, 200_000))
    const r = await runlogInProcess(['history', copy, '--format', 'jsonl'])
    expect(r.status).toBe(0)
    expect(r.stderr).toMatch(/warning: .*run-m84hjf9m\.wandb: \d+ byte\(s\) could not be read/)
    const lines = r.stdout.trim().split('\n')
    const expected = readFileSync(join(HISTORY_EXPECTED, `${ALPACA}.history.jsonl`), 'utf8')
      .trim()
      .split('\n')
    expect(lines.length).toBeGreaterThan(0)
    expect(lines.length).toBeLessThan(expected.length)
    expect(lines).toEqual(expected.slice(0, lines.length))
  })
})

describe('runlog history of a trainer stdout log', () => {
  const VERL = join(FIXTURES, 'trainer-logs', 'verl-ppo__dstack-configs__verl_demo.log')
  const TRL = join(FIXTURES, 'trainer-logs', 'trl-grpo__ton__evvobjd4_output.log')

  /** verl's `step:N - key:value - …` lines, tallied here without the parser: values by step, by key. */
  function verlSteps(): Map<number, Map<string, number>> {
    const steps = new Map<number, Map<string, number>>()
    for (const line of readFileSync(VERL, 'utf8').split('\n')) {
      const m = /step:(\d+) - (.*)$/.exec(line)
      if (!m) continue
      const values = steps.get(Number(m[1])) ?? new Map<string, number>()
      for (const pair of m[2].matchAll(/([^\s:]+):(\S+)/g)) values.set(pair[1], Number(pair[2]))
      steps.set(Number(m[1]), values)
    }
    return steps
  }

  it('jsonl: one record per trainer step, in step order, _step the step, every printed value', async () => {
    const r = await runlogInProcess(['history', VERL, '--format', 'jsonl'])
    expect(r.status).toBe(0)
    const rows = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, number>)
    const expected = verlSteps()
    expect(rows.map((o) => o._step)).toEqual([...expected.keys()].sort((a, b) => a - b))
    for (const row of rows) {
      const {_step, ...values} = row
      expect(values, `step ${_step}`).toEqual(Object.fromEntries(expected.get(_step)!))
    }
    // the keys in the order the log prints them, _step last
    expect(Object.keys(rows[0]).slice(0, 2)).toEqual(['global_seqlen/min', 'global_seqlen/max'])
    expect(Object.keys(rows[0]).at(-1)).toBe('_step')
  })

  it('--keys, json, csv and table as for a wandb run; an HF/TRL log too', async () => {
    const jsonl = (await runlogInProcess(['history', VERL, '--format', 'jsonl', '--keys', 'val-core/*'])).stdout
      .trim()
      .split('\n')
    const VAL = 'val-core/openai/gsm8k/reward/mean@1'
    const validation = [...verlSteps()].filter(([, v]) => v.has(VAL))
    expect(jsonl.map((l) => JSON.parse(l))).toEqual(validation.map(([step, v]) => ({[VAL]: v.get(VAL), _step: step})))
    const json = JSON.parse(
      (await runlogInProcess(['history', VERL, '--format', 'json', '--keys', 'val-core/*'])).stdout,
    )
    expect(json).toEqual(jsonl.map((l) => JSON.parse(l)))
    const csv = (await runlogInProcess(['history', VERL, '--format', 'csv', '--keys', 'critic/score/mean'])).stdout
      .trim()
      .split('\n')
    expect(csv[0]).toBe('_step,critic/score/mean')
    expect(csv).toHaveLength(1 + verlSteps().size)
    expect(csv[1]).toBe(`101,${verlSteps().get(101)!.get('critic/score/mean')}`)
    const table = (await runlogInProcess(['history', TRL, '--keys', 'reward'])).stdout
    // the first dict of the log: {'loss': 0.0, …, 'reward': 0.0078125, …}
    expect(table).toMatch(/│ 1\s+│ 0\.0078125 │/)
  })

  it('arrow and parquet: the long-form table, run_id the log’s name', async () => {
    const dir = tmp()
    const values = [...verlSteps().values()].reduce((n, v) => n + v.size + 1, 0)
    expect((await runlogInProcess(['history', VERL, '--format', 'arrow', '-o', join(dir, 'h.arrow')])).status).toBe(0)
    const t = tableFromIPC(readFileSync(join(dir, 'h.arrow')))
    expect(t.numRows).toBe(values)
    expect(t.getChild('run_id')!.get(0)).toBe('verl-ppo__dstack-configs__verl_demo')
    const parquet = join(dir, 'h.parquet')
    const written = await runlogInProcess([
      'history',
      VERL,
      '--format',
      'parquet',
      '-o',
      parquet,
      '--keys',
      'critic/score/mean',
    ])
    expect(written.status).toBe(0)
    const db = await DuckDBInstance.create(':memory:')
    const c = await db.connect()
    const sql = `SELECT count(*)::INT n, sum(value) FILTER (WHERE key = 'critic/score/mean') s FROM '${parquet}'`
    const rows = (await c.runAndReadAll(sql)).getRowObjectsJS()
    const scores = [...verlSteps().values()].map((v) => v.get('critic/score/mean')!)
    expect(rows[0].n).toBe(2 * scores.length)
    expect(rows[0].s as number).toBeCloseTo(
      scores.reduce((a, b) => a + b, 0),
      9,
    )
  })

  it('a log without per-step metrics has no rows; a binary file is one clear error', async () => {
    const dir = tmp()
    const plain = join(dir, 'plain.log')
    writeFileSync(plain, 'hello\nno metrics here\n')
    const r = await runlogInProcess(['history', plain])
    expect(r.status).toBe(0)
    expect(r.stdout.trim()).toBe('No history rows.')
    const binary = join(dir, 'weights.bin')
    writeFileSync(binary, Buffer.from([0, 1, 2, 3, 0, 0, 255, 254, 0, 7]))
    const bad = await runlogInProcess(['history', binary])
    expect(bad.status).toBe(1)
    expect(bad.stderr.trim().split('\n')).toHaveLength(1)
    expect(bad.stderr).toMatch(/weights\.bin/)
  })
})
