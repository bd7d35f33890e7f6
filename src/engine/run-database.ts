import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {DuckDBConnection, DuckDBInstance, StatementType} from '@duckdb/node-api'
import type {Schema, Table} from 'apache-arrow'
import {InputError} from '../errors.js'
import {duckdbMemory} from '../settings.js'
import {type StagedTable, loadArrowTable, stageArrowTable} from './arrow-to-duckdb.js'
import {StagingStream} from './staging-stream.js'
import {quoteIdent, quoteLiteral} from './sql-text.js'

export type Row = Record<string, unknown>

/** One DuckDB database per invocation: in memory, or in a file the user keeps (`--db FILE`). */
export class RunDatabase {
  /** Tables loaders created or appended to: they need not ask the catalog again. */
  readonly loadedTables = new Set<string>()
  /** Tables known not to exist, so loaders skip the catalog, which is slow while a big run's tables are written. */
  readonly absentTables = new Set<string>()
  /** Idle query connections: one per query running at once, never shared. */
  private readonly idle: DuckDBConnection[] = []
  private readonly opened: DuckDBConnection[] = []

  private constructor(
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
    private readonly removeSpill: () => void,
  ) {}

  /** Past `memoryLimit`, DuckDB spills table blocks to a temporary directory, so a big run's tables need not fit. */
  static async open(file?: string, memoryLimit = duckdbMemory()): Promise<RunDatabase> {
    // Never DuckDB's default, `.tmp` in the working directory (which may be a run directory).
    const spill = mkdtempSync(join(tmpdir(), 'runlog-duckdb-'))
    const removeSpill = () => rmSync(spill, {recursive: true, force: true})
    process.once('exit', removeSpill)
    const release = () => {
      removeSpill()
      process.off('exit', removeSpill)
    }
    let instance: DuckDBInstance
    try {
      instance = await DuckDBInstance.create(file ?? ':memory:', {temp_directory: spill, memory_limit: memoryLimit})
    } catch (error) {
      release()
      const why = (error as Error).message.split('\n')[0]
      throw new InputError(file ?? ':memory:', `cannot open DuckDB database (${why})`)
    }
    return new RunDatabase(instance, await instance.connect(), release)
  }

  async load(name: string, table: Table): Promise<void> {
    await loadArrowTable(this.connection, name, table)
    this.absentTables.delete(name)
  }

  stage(name: string, table: Table): Promise<StagedTable> {
    return stageArrowTable(this.connection, name, table)
  }

  stagingName(name: string): string {
    return `_staging_${this.stagingTables++}_${name}`
  }

  private stagingTables = 0

  openStream(name: string, schema: Schema, names: readonly string[]): Promise<StagingStream> {
    return StagingStream.open(this.connection, name, schema, names)
  }

  async tableExists(name: string): Promise<boolean> {
    // Via `query` (a connection of its own): loaders ask about several tables at once. No explicit transactions run,
    // so every connection sees the same catalog.
    const sql = `SELECT 1 FROM duckdb_tables() WHERE table_name = ${quoteLiteral(name)} AND schema_name = 'main'`
    return (await this.query(sql)).length > 0
  }

  async dropTable(name: string): Promise<void> {
    await this.connection.run(`DROP TABLE IF EXISTS ${quoteIdent(name)} CASCADE`)
    this.loadedTables.delete(name)
    this.absentTables.add(name)
  }

  /** A `--db` from an earlier invocation: its rows stay, a run loaded again is replaced (`forgetRun`). */
  async keepRuns(tables: readonly string[]): Promise<void> {
    const rows = await this.query(`SELECT table_name AS name FROM duckdb_tables() WHERE schema_name = 'main'`)
    const names = new Set(rows.map((r) => String(r.name)))
    this.keptTables = tables.filter((t) => names.has(t))
    for (const t of tables) {
      if (names.has(t)) this.loadedTables.add(t)
      else this.absentTables.add(t)
    }
    for (const name of names) if (name.startsWith('_staging_')) await this.run(`DROP TABLE ${quoteIdent(name)}`)
  }

  private keptTables: string[] = []
  private readonly forgotten = new Map<string, Promise<void>>()

  /** Once per run, before its first rows are written. */
  forgetRun(runId: string): Promise<void> {
    if (this.keptTables.length === 0) return Promise.resolve()
    let done = this.forgotten.get(runId)
    if (!done) {
      const id = quoteLiteral(runId)
      done = this.runApart(...this.keptTables.map((t) => `DELETE FROM ${quoteIdent(t)} WHERE run_id = ${id}`))
      this.forgotten.set(runId, done)
    }
    return done
  }

  async run(sql: string): Promise<void> {
    await this.connection.run(sql)
  }

  /** On a connection of its own, so other statements run meanwhile (e.g. several tables written at once). */
  runApart(...sql: string[]): Promise<void> {
    return this.withConnection(async (conn) => {
      for (const s of sql) await conn.run(s)
    })
  }

  /**
   * BIGINTs come back as numbers when they fit. Each query gets its own connection, so concurrent queries use both
   * cores while each stays on one thread (its sums add up in the same order every time).
   */
  async query(sql: string): Promise<Row[]> {
    return (await this.queryWithColumns(sql)).rows
  }

  /** `readOnly`: inside a read-only transaction, rolled back, so the user's SQL cannot change the database. */
  queryWithColumns(sql: string, opts: {readOnly?: boolean} = {}): Promise<{columns: string[]; rows: Row[]}> {
    return this.withConnection(async (conn) => {
      if (!opts.readOnly) {
        const reader = await conn.runAndReadAll(sql)
        return {columns: reader.columnNames(), rows: reader.getRowObjectsJS().map(normalizeRow)}
      }
      await conn.run('BEGIN TRANSACTION READ ONLY')
      try {
        // A COMMIT or ROLLBACK in the SQL would end the read-only transaction, and what follows it could write.
        const statements = await conn.extractStatements(sql)
        for (let i = 0; i < statements.count; i++) {
          if ((await statements.prepare(i)).statementType === StatementType.TRANSACTION)
            throw new Error('Permission Error: BEGIN, COMMIT and ROLLBACK cannot be used in a read-only query')
        }
        const reader = await conn.runAndReadAll(sql)
        return {columns: reader.columnNames(), rows: reader.getRowObjectsJS().map(normalizeRow)}
      } finally {
        // The user's SQL may have ended the transaction itself: nothing to roll back then.
        await conn.run('ROLLBACK').catch(() => {})
      }
    })
  }

  /** From now on: no file but its own and its spill directory, no extensions, no ATTACH, no configuration change. */
  async lockDown(): Promise<void> {
    for (const s of LOCK_DOWN_SETTINGS) await this.connection.run(s)
  }

  private async withConnection<T>(use: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    const conn = this.idle.pop() ?? (await this.connect())
    try {
      return await use(conn)
    } finally {
      this.idle.push(conn)
    }
  }

  private async connect(): Promise<DuckDBConnection> {
    const conn = await this.instance.connect()
    this.opened.push(conn)
    return conn
  }

  close(): void {
    for (const conn of this.opened) conn.closeSync()
    this.connection.closeSync()
    this.instance.closeSync()
    this.removeSpill()
  }
}

/** DuckDB settings of `lockDown`, in this order (`lock_configuration` last: it freezes the ones before). */
export const LOCK_DOWN_SETTINGS = [
  'SET enable_external_access = false',
  'SET autoinstall_known_extensions = false',
  'SET autoload_known_extensions = false',
  'SET allow_community_extensions = false',
  'SET lock_configuration = true',
]

function normalizeValue(v: unknown): unknown {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString()
  if (v instanceof Date) return v.toISOString()
  if (Array.isArray(v)) return v.map(normalizeValue)
  return v
}

function normalizeRow(row: Record<string, unknown>): Row {
  const out: Row = {}
  for (const [k, v] of Object.entries(row)) out[k] = normalizeValue(v)
  return out
}
