import {DuckDBInstance} from '@duckdb/node-api'
import {copyFileSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {tableFromIPC} from 'apache-arrow'
import {describe, expect, it} from 'vitest'
import {runlog} from '../helpers/cli.js'
import {CORPUS, HISTORY_EXPECTED} from '../helpers/fixtures.js'

const ALPACA = 'alpaca__run-20231106_034002-m84hjf9m'
const RUN = join(CORPUS, ALPACA)
const tmp = () => mkdtempSync(join(tmpdir(), 'runlog-history-'))

describe('runlog history', () => {
  it('--format jsonl on a run directory and on the .wandb file equals the expected output', async () => {
    const expected = readFileSync(join(HISTORY_EXPECTED, `${ALPACA}.history.jsonl`), 'utf8')
    const fromDir = await runlog(['history', RUN, '--format', 'jsonl'])
    expect(fromDir.status).toBe(0)
    expect(fromDir.stdout).toBe(expected)
    const out = join(tmp(), 'h.jsonl')
    const fromFile = await runlog(['history', join(RUN, 'run-m84hjf9m.wandb'), '--format', 'jsonl', '--output', out])
    expect(fromFile.status).toBe(0)
    expect(readFileSync(out, 'utf8')).toBe(expected)
  })

  it('--keys keeps only the asked keys (globs too) plus _step', async () => {
    const r = await runlog(['history', RUN, '--format', 'jsonl', '--keys', 'train/loss,train/learning_*'])
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
    const expected = readFileSync(join(HISTORY_EXPECTED, `${ALPACA}.history.jsonl`), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((o) => 'train/loss' in o || 'train/learning_rate' in o)
    expect(rows.length).toBe(expected.length)
    expect(rows[0]).toEqual({'train/loss': expected[0]['train/loss'], 'train/learning_rate': expected[0]['train/learning_rate'], _step: 0})
  })

  it('json, csv and table agree with jsonl', async () => {
    const jsonl = (await runlog(['history', RUN, '--format', 'jsonl'])).stdout.trim().split('\n').map((l) => JSON.parse(l))
    const json = JSON.parse((await runlog(['history', RUN, '--format', 'json'])).stdout)
    expect(json).toEqual(jsonl)
    const csv = (await runlog(['history', RUN, '--format', 'csv', '--keys', 'train/loss'])).stdout.trim().split('\n')
    expect(csv[0]).toBe('_step,train/loss')
    expect(csv.length - 1).toBe(jsonl.filter((o: Record<string, unknown>) => 'train/loss' in o).length)
    expect(csv[1]).toBe(`0,${jsonl[0]['train/loss']}`)
    const table = (await runlog(['history', RUN, '--keys', 'train/loss'])).stdout
    expect(table).toContain('train/loss')
    expect(table).toContain('1.5322')
  })

  it('arrow and parquet write the long-form history table', async () => {
    const dir = tmp()
    const jsonl = readFileSync(join(HISTORY_EXPECTED, `${ALPACA}.history.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
    const values = jsonl.reduce((n: number, o: object) => n + Object.keys(o).length, 0)
    expect((await runlog(['history', RUN, '--format', 'arrow', '-o', join(dir, 'h.arrow')])).status).toBe(0)
    const t = tableFromIPC(readFileSync(join(dir, 'h.arrow')))
    expect(t.numRows).toBe(values)
    expect(t.schema.fields.map((f) => f.name)).toEqual(['run_id', 'row', 'step', 'key', 'value', 'value_json', 'runtime', 'timestamp'])
    expect((await runlog(['history', RUN, '--format', 'parquet', '-o', join(dir, 'h.parquet')])).status).toBe(0)
    const db = await DuckDBInstance.create(':memory:')
    const c = await db.connect()
    const rows = (await c.runAndReadAll(`SELECT count(*)::INT n, sum(value) FILTER (WHERE key = 'train/loss') loss FROM '${join(dir, 'h.parquet')}'`)).getRowObjectsJS()
    const loss = jsonl.reduce((s: number, o: Record<string, number>) => s + (o['train/loss'] ?? 0), 0)
    expect(rows[0].n).toBe(values)
    expect(rows[0].loss as number).toBeCloseTo(loss, 9)
    const noOutput = await runlog(['history', RUN, '--format', 'parquet'])
    expect(noOutput.status).toBe(1)
    expect(noOutput.stderr).toMatch(/--output/)
  })

  it('bad input: one line naming the file, exit 1; bad flags exit 2; never a stack trace', async () => {
    const dir = tmp()
    const missing = await runlog(['history', join(dir, 'nope')])
    expect(missing.status).toBe(1)
    expect(missing.stderr.trim().split('\n')).toEqual([`runlog: ${join(dir, 'nope')}: no such file or directory`])
    const notLog = join(dir, 'run-x.wandb')
    writeFileSync(notLog, 'hello world, not a wandb file')
    const bad = await runlog(['history', notLog])
    expect(bad.status).toBe(1)
    expect(bad.stderr).toMatch(/run-x\.wandb: not a wandb log/)
    expect(bad.stderr).not.toMatch(/\n\s+at /)
    const emptyDir = await runlog(['history', tmp()])
    expect(emptyDir.status).toBe(1)
    expect(emptyDir.stderr).toMatch(/no \.wandb log/)
    const flag = await runlog(['history', RUN, '--format', 'xml'])
    expect(flag.status).toBe(2)
  })

  it('damaged but partly readable: the data plus a warning, exit 0', async () => {
    const dir = tmp()
    const src = join(RUN, 'run-m84hjf9m.wandb')
    const copy = join(dir, 'run-m84hjf9m.wandb')
    copyFileSync(src, copy)
    const bytes = readFileSync(copy)
    writeFileSync(copy, bytes.subarray(0, 200_000))
    const r = await runlog(['history', copy, '--format', 'jsonl'])
    expect(r.status).toBe(0)
    expect(r.stderr).toMatch(/warning: .*run-m84hjf9m\.wandb: \d+ byte\(s\) could not be read/)
    const lines = r.stdout.trim().split('\n')
    const expected = readFileSync(join(HISTORY_EXPECTED, `${ALPACA}.history.jsonl`), 'utf8').trim().split('\n')
    expect(lines.length).toBeGreaterThan(0)
    expect(lines.length).toBeLessThan(expected.length)
    expect(lines).toEqual(expected.slice(0, lines.length))
  })
})
