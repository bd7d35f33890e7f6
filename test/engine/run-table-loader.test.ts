import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it, vi} from 'vitest'
import {TableBuilder, schemaOf} from '../../src/arrow/table-builder.js'
import {RunDatabase} from '../../src/engine/run-database.js'
import {RunTableLoader} from '../../src/engine/run-table-loader.js'

const spec = {step: 'int64', split: 'utf8', origin: 'utf8', run_id: 'utf8'} as const

/** `n` rows with text of few distinct values (built as Arrow dictionaries, loaded as codes). */
function part(from: number, n: number, splits: string[], origin: string) {
  const b = new TableBuilder(spec, {dictionary: true})
  for (let k = from; k < from + n; k++) b.append({step: k, split: splits[k % splits.length], origin, run_id: 'ignored'})
  return b.finish()
}

describe('RunTableLoader: a run’s tables, in parts, into the database', () => {
  it('writes every part of a table, each with its own dictionary, under the run id; a second run is appended', async () => {
    const db = await RunDatabase.open()
    try {
      const a = new RunTableLoader(db, "run'a")
      await a.stage('samples', part(0, 5000, ['train', 'val'], 'wandb_table'))
      await a.stage('samples', part(5000, 4500, ['val', 'train', 'test'], 'stdout'))
      await a.load('steps', part(0, 10, ['train'], 'stdout'))
      // staged, not yet written
      expect(await db.query(`SELECT table_name FROM duckdb_tables() WHERE table_name = 'samples'`)).toEqual([])
      await a.commit()
      const b = new RunTableLoader(db, 'b')
      await b.load('samples', part(0, 3, ['x'], 'stdout'))
      const rows = await db.query(
        `SELECT run_id, origin, split, count(*)::INT AS n, min(step) AS lo, max(step) AS hi FROM samples GROUP BY ALL ORDER BY ALL`,
      )
      expect(rows).toEqual([
        {run_id: 'b', origin: 'stdout', split: 'x', n: 3, lo: 0, hi: 2},
        {run_id: "run'a", origin: 'stdout', split: 'test', n: 1500, lo: 5000, hi: 9497},
        {run_id: "run'a", origin: 'stdout', split: 'train', n: 1500, lo: 5002, hi: 9499},
        {run_id: "run'a", origin: 'stdout', split: 'val', n: 1500, lo: 5001, hi: 9498},
        {run_id: "run'a", origin: 'wandb_table', split: 'train', n: 2500, lo: 0, hi: 4998},
        {run_id: "run'a", origin: 'wandb_table', split: 'val', n: 2500, lo: 1, hi: 4999},
      ])
      const cols = await db.query(
        `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'samples' ORDER BY ordinal_position`,
      )
      expect(cols.map((c) => `${String(c.column_name)} ${String(c.data_type)}`)).toEqual([
        'run_id VARCHAR',
        'step BIGINT',
        'split VARCHAR',
        'origin VARCHAR',
      ])
      expect(await db.query(`SELECT count(*)::INT AS n FROM steps`)).toEqual([{n: 10}])
      // an empty table creates the table (its schema) the first time, and adds nothing after
      const c = new RunTableLoader(db, 'c')
      await c.load('steps', part(0, 0, ['x'], 'stdout'))
      await c.load('judge_events', part(0, 0, ['x'], 'stdout'))
      expect(await db.query(`SELECT count(*)::INT AS n FROM steps`)).toEqual([{n: 10}])
      expect(await db.query(`SELECT count(*)::INT AS n FROM judge_events`)).toEqual([{n: 0}])
      const judgeCols = await db.query(
        `SELECT column_name FROM information_schema.columns WHERE table_name = 'judge_events' ORDER BY ordinal_position`,
      )
      expect(judgeCols.map((r) => r.column_name)).toEqual(['run_id', 'step', 'split', 'origin'])
      expect(db.loadedTables).toEqual(new Set(['samples', 'steps', 'judge_events']))
      // no staging table is left behind
      expect(
        await db.query(`SELECT table_name FROM duckdb_tables() WHERE table_name LIKE '\\_staging%' ESCAPE '\\'`),
      ).toEqual([])
    } finally {
      db.close()
    }
  })

  it('creates a table it knows to be absent (dropped) without asking the catalog, and asks about any other once', async () => {
    const db = await RunDatabase.open()
    try {
      await new RunTableLoader(db, 'old').load('samples', part(0, 4, ['x'], 'stdout'))
      await new RunTableLoader(db, 'old').load('steps', part(0, 2, ['x'], 'stdout'))
      await db.dropTable('samples')
      expect(db.absentTables).toEqual(new Set(['samples']))
      expect(db.loadedTables).toEqual(new Set(['steps']))
      const asked = vi.spyOn(db, 'tableExists')
      const a = new RunTableLoader(db, 'a')
      await a.stage('samples', part(0, 5, ['train'], 'stdout'))
      await a.stage('judge_events', part(0, 3, ['train'], 'stdout'))
      await a.commit()
      // samples: known absent; judge_events: unknown, asked once
      expect(asked.mock.calls).toEqual([['judge_events']])
      await new RunTableLoader(db, 'b').load('samples', part(0, 2, ['val'], 'stdout'))
      expect(asked).toHaveBeenCalledTimes(1)
      expect(await db.query(`SELECT run_id, count(*)::INT AS n FROM samples GROUP BY ALL ORDER BY ALL`)).toEqual([
        {run_id: 'a', n: 5},
        {run_id: 'b', n: 2},
      ])
      expect(db.absentTables).toEqual(new Set())
      expect(db.loadedTables).toEqual(new Set(['steps', 'samples', 'judge_events']))
    } finally {
      db.close()
    }
  })

  it('adds a part streamed batch by batch while a reader runs (text loaded as text), before the parts staged after it', async () => {
    const db = await RunDatabase.open()
    try {
      const spec = {run_id: 'utf8', row: 'int64', key: 'utf8', value: 'float64'} as const
      const stream = await RunTableLoader.openStream(db, 'history', schemaOf(spec))
      // Batches go in synchronously, as the reader seals them (5,000 rows: more than two DuckDB chunks per batch).
      const b = new TableBuilder(spec, {onSeal: (batch) => stream.append(batch), batchRows: 5000})
      const row = (k: number) => ({
        run_id: 'x',
        row: k,
        key: k % 11 === 0 ? null : `dataset/s${k % 7}/判决`,
        value: k % 5 === 0 ? null : k / 4,
      })
      for (let k = 0; k < 12_345; k++) b.append(row(k))
      expect(stream.rows).toBe(10_000)
      const loader = new RunTableLoader(db, 'r1')
      loader.adopt('history', stream.close())
      await loader.stage('history', b.finish())
      await loader.commit()
      const got = await db.query(`SELECT run_id, "row", key, value FROM history`)
      expect(got).toEqual(Array.from({length: 12_345}, (_, k) => ({...row(k), run_id: 'r1'})))
      expect(
        await db.query(`SELECT table_name FROM duckdb_tables() WHERE table_name LIKE '\\_staging%' ESCAPE '\\'`),
      ).toEqual([])
    } finally {
      db.close()
    }
  })

  it('writes the tables of a commit at once; one that fails is reported once the others are written', async () => {
    const db = await RunDatabase.open()
    try {
      const loader = new RunTableLoader(db, 'r')
      // A part whose staging table is gone, first: its write fails, and the others are written all the same.
      loader.adopt('api_calls', {name: '_staging_gone', columns: [{name: 'step', expr: '"step"'}]})
      await loader.stage('samples', part(0, 3000, ['train'], 'stdout'))
      await loader.stage('steps', part(0, 20, ['train'], 'stdout'))
      await expect(loader.commit()).rejects.toThrow(/_staging_gone/)
      expect(await db.query(`SELECT count(*)::INT AS n FROM samples`)).toEqual([{n: 3000}])
      expect(await db.query(`SELECT count(*)::INT AS n FROM steps`)).toEqual([{n: 20}])
      expect(
        await db.query(
          `SELECT table_name FROM duckdb_tables() WHERE table_name IN ('api_calls') OR table_name LIKE '\\_staging%' ESCAPE '\\'`,
        ),
      ).toEqual([])
    } finally {
      db.close()
    }
  })

  it('into a database kept from an earlier invocation: a run loaded again replaces its rows in every table, at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runlog-loader-'))
    const file = join(dir, 'kept.duckdb')
    const tables = ['samples', 'steps', 'judge_events', 'api_calls']
    const first = await RunDatabase.open(file)
    try {
      for (const run of ['old', 'other']) {
        const loader = new RunTableLoader(first, run)
        for (const t of tables) await loader.stage(t, part(0, 4, ['x'], run))
        await loader.commit()
      }
    } finally {
      first.close()
    }
    const db = await RunDatabase.open(file)
    try {
      await db.keepRuns([...tables, 'history'])
      const again = new RunTableLoader(db, 'old')
      // several tables written at once, none asking the catalog on a shared connection
      for (const t of tables) await again.stage(t, part(0, 2, ['y'], 'again'))
      await again.commit()
      for (const t of tables) {
        expect(
          await db.query(`SELECT run_id, origin, count(*)::INT AS n FROM ${t} GROUP BY ALL ORDER BY ALL`),
          t,
        ).toEqual([
          {run_id: 'old', origin: 'again', n: 2},
          {run_id: 'other', origin: 'other', n: 4},
        ])
      }
      expect(db.absentTables).toEqual(new Set(['history']))
    } finally {
      db.close()
      rmSync(dir, {recursive: true, force: true})
    }
  })
})
