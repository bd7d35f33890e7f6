import {DuckDBInstance} from '@duckdb/node-api'
import {spawn} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {runlog} from '../helpers/cli.js'
import {runlogInProcess} from '../helpers/in-process-cli.js'
import {FIXTURES, GRPO_RUN} from '../helpers/fixtures.js'

describe('runlog export', () => {
  it('writes a Parquet dataset partitioned by table and run that DuckDB reads back to the same figures as summarize', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'runlog-export-')), 'dataset')
    const p30 = join(FIXTURES, 'trainer-logs', 'training_p30.log')
    const r = await runlogInProcess(['export', GRPO_RUN, p30, '--to', dir])
    expect(r.status, r.stderr).toBe(0)
    expect(existsSync(join(dir, 'table=samples', 'run=ieqh524y', 'part-0.parquet'))).toBe(true)
    expect(existsSync(join(dir, 'table=api_calls', 'run=training_p30', 'part-0.parquet'))).toBe(true)

    const db = await DuckDBInstance.create(':memory:')
    const c = await db.connect()
    const read = (table: string) => `read_parquet('${dir}/table=${table}/*/*.parquet', hive_partitioning = true)`
    // the wandb Table samples of the run (the most trusted evidence), per dataset, straight from the export
    const rows = (
      await c.runAndReadAll(`
        SELECT split, source, count(*)::INT AS count, count(*) FILTER (WHERE correctness >= 0.9)::INT AS correct
        FROM ${read('samples')} WHERE run = 'ieqh524y' AND origin = 'wandb_table' GROUP BY ALL ORDER BY ALL`)
    ).getRowObjectsJS()
    const summary = JSON.parse((await runlogInProcess(['summarize', GRPO_RUN, '--json'])).stdout) as {
      datasets: Array<{split: string; source: string; count: number; correct: number}>
    }
    const fromSummary = summary.datasets
      .map((d) => ({split: d.split, source: d.source, count: d.count, correct: d.correct}))
      .sort((a, b) => a.split.localeCompare(b.split) || a.source.localeCompare(b.source) || a.count - b.count)
    expect(rows).toEqual(fromSummary)
    const calls = (
      await c.runAndReadAll(`SELECT count(*)::INT AS n FROM ${read('api_calls')} WHERE run = 'training_p30'`)
    ).getRowObjectsJS()
    expect(calls[0].n).toBe(2403)
    const runs = (await c.runAndReadAll(`SELECT run, state FROM ${read('runs')} ORDER BY run`)).getRowObjectsJS()
    expect(runs).toEqual([
      {run: 'ieqh524y', state: 'finished'},
      {run: 'training_p30', state: 'crashed'},
    ])
    c.closeSync()
    db.closeSync()
  })

  it('a FIFO in the place of its list of exported files is refused in one line, never opened', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runlog-export-'))
    const manifest = join(dir, '.runlog-export.json')
    await new Promise<void>((resolve, reject) => {
      const child = spawn('mkfifo', [manifest], {stdio: 'ignore'}).on('error', reject)
      child.on('close', (c) => (c === 0 ? resolve() : reject(new Error(`mkfifo exited ${c}`))))
    })
    const r = await runlog(['export', GRPO_RUN, '--to', dir])
    expect(r.status).toBe(1)
    const why = "a FIFO (named pipe), not runlog's list of exported files (never opened)"
    expect(r.stderr.trim()).toBe(`runlog: ${manifest}: ${why}`)
    // Nothing was placed, and the staging folder is gone.
    expect(readdirSync(dir)).toEqual(['.runlog-export.json'])
  })

  it('never deletes or overwrites a file it did not write; exporting a run again replaces only its own parts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runlog-export-'))
    const mine = {
      'notes.txt': 'my notes\n',
      'table=runs/README': 'about this folder\n',
      'table=samples/run=ieqh524y/mine.txt': 'mine\n',
      // named like a part runlog writes, but not written by runlog
      'table=samples/run=ieqh524y/part-0.parquet': 'not a parquet file of runlog\n',
    }
    for (const [path, text] of Object.entries(mine)) {
      mkdirSync(join(dir, path, '..'), {recursive: true})
      writeFileSync(join(dir, path), text)
    }
    const p30 = join(FIXTURES, 'trainer-logs', 'training_p30.log')
    for (const args of [[GRPO_RUN], [GRPO_RUN, p30], [GRPO_RUN]]) {
      const r = await runlogInProcess(['export', ...args, '--to', dir])
      expect(r.status, r.stderr).toBe(0)
      for (const [path, text] of Object.entries(mine)) expect(readFileSync(join(dir, path), 'utf8'), path).toBe(text)
    }
    // one part per table and run: earlier exports' parts of the same run were replaced, not added to
    expect(readdirSync(join(dir, 'table=samples', 'run=ieqh524y')).sort()).toEqual([
      'mine.txt',
      'part-0.parquet',
      'part-1.parquet',
    ])
    expect(readdirSync(join(dir, 'table=samples', 'run=training_p30'))).toEqual(['part-0.parquet'])
    expect(readdirSync(dir).filter((f) => f.startsWith('.runlog-staging'))).toEqual([])
    const db = await DuckDBInstance.create(':memory:')
    const c = await db.connect()
    const n = (
      await c.runAndReadAll(
        `SELECT count(*)::INT AS n FROM read_parquet('${dir}/table=samples/run=ieqh524y/part-1.parquet')`,
      )
    ).getRowObjectsJS()
    expect(n).toEqual([{n: 552}])
    c.closeSync()
    db.closeSync()
  })
})
