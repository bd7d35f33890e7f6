import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {DuckDBConnection, DuckDBInstance, StatementType} from '@duckdb/node-api'
import type {Schema, Table} from 'apache-arrow'
import {InputError} from '../errors.js'
import {duckdbMemoryLimit} from './memory-limit.js'
import {type StagedTable, loadArrowTable, stageArrowTable} from './arrow-to-duckdb.js'
import {StagingStream} from './staging-stream.js'
import {quoteIdent, quoteLiteral} from './sql-text.js'

export type Row = Record<string, unknown>

/** One DuckDB database per invocation: in memory, or in a file the user keeps (`--db FILE`). */
export class RunDatabase {
  /** Tables `RunTableLoader`s created or appended to in this database (they need not ask the catalog again). */
  readonly loadedTables = new Set<string>()
  /**
   * Tables known not to exist: dropped with `dropTable` and not created since (a `RunTableLoader` creates them without
   * asking the catalog, which is slow while the tables of a big run are being written).
   */
  readonly absentTables = new Set<string>()
  /** Connections for queries, not in use (one per query running at once; a query never shares one). */
  private readonly idle: DuckDBConnection[] = []
  private readonly opened: DuckDBConnection[] = []

  private constructor(
    private readonly instance: DuckDBInstance,
    /** The connection that loads tables and runs statements (`run`, `stage`, `load`). */
    readonly connection: DuckDBConnection,
    private readonly removeSpill: () => void,
  ) {}

  /**
   * Opens the database with at most `memoryLimit` of DuckDB's memory (default `DEFAULT_MEMORY_LIMIT`, or the
   * `RUNLOG_DUCKDB_MEMORY` environment variable): past it, DuckDB writes table blocks out to a directory of its own
   * under the system's temporary directory (removed on close), so a big run's tables do not all stay in memory.
   */
  static async open(file?: string, memoryLimit = duckdbMemoryLimit()): Promise<RunDatabase> {
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

  /** Creates (or replaces) table `name` from an Arrow table. */
  async load(name: string, table: Table): Promise<void> {
    await loadArrowTable(this.connection, name, table)
    this.absentTables.delete(name)
  }

  /** Loads an Arrow table into a staging table (low-cardinality text as integer codes); see `stageArrowTable`. */
  stage(name: string, table: Table): Promise<StagedTable> {
    return stageArrowTable(this.connection, name, table)
  }

  /** A name for a new staging table of table `name`, unique in this database. */
  stagingName(name: string): string {
    return `_staging_${this.stagingTables++}_${name}`
  }

  private stagingTables = 0

  /** A staging table `name` filled batch by batch, synchronously, with the columns `names` of `schema`. */
  openStream(name: string, schema: Schema, names: readonly string[]): Promise<StagingStream> {
    return StagingStream.open(this.connection, name, schema, names)
  }

  /** Whether table `name` exists in the main schema (runlog runs no explicit transaction: every connection agrees). */
  async tableExists(name: string): Promise<boolean> {
    // On a connection of its own: loaders ask about several tables at once, and a connection runs one query at a time.
    const sql = `SELECT 1 FROM duckdb_tables() WHERE table_name = ${quoteLiteral(name)} AND schema_name = 'main'`
    return (await this.query(sql)).length > 0
  }

  /** Drops table `name` (and what depends on it) if it exists: it is then known to be absent. */
  async dropTable(name: string): Promise<void> {
    await this.connection.run(`DROP TABLE IF EXISTS ${quoteIdent(name)} CASCADE`)
    this.loadedTables.delete(name)
    this.absentTables.add(name)
  }

  /**
   * The database came from an earlier invocation (`--db` over several commands): its rows of these tables stay, but
   * the rows of a run loaded again are replaced (`forgetRun`). Staging tables a killed invocation left are dropped.
   */
  async keepRuns(tables: readonly string[]): Promise<void> {
    const rows = await this.query(`SELECT table_name AS name FROM duckdb_tables() WHERE schema_name = 'main'`)
    const names = new Set(rows.map((r) => String(r.name)))
    this.keptTables = tables.filter((t) => names.has(t))
    // Known now: loaders need not ask the catalog (at once, for several tables) whether they exist.
    for (const t of tables) {
      if (names.has(t)) this.loadedTables.add(t)
      else this.absentTables.add(t)
    }
    for (const name of names) if (name.startsWith('_staging_')) await this.run(`DROP TABLE ${quoteIdent(name)}`)
  }

  /** Tables holding runs of an earlier invocation (see `keepRuns`). */
  private keptTables: string[] = []
  private readonly forgotten = new Map<string, Promise<void>>()

  /** Deletes an earlier invocation's rows of run `runId` (once per run; done before its first rows are written). */
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

  /**
   * Runs statements in order on a connection of their own, so that other statements can run meanwhile (each on one
   * thread, as every query here): writing the parts of several tables, or materializing several metric tables, at once.
   */
  runApart(...sql: string[]): Promise<void> {
    return this.withConnection(async (conn) => {
      for (const s of sql) await conn.run(s)
    })
  }

  /**
   * Runs a query; BIGINT values come back as numbers when they fit (they always do for counts and steps). Queries may
   * run at once (`Promise.all`): each gets its own connection, so they use both cores even with `SET threads = 1`
   * (each query still runs on one thread, so its sums add up in the same order every time).
   */
  async query(sql: string): Promise<Row[]> {
    return (await this.queryWithColumns(sql)).rows
  }

  /**
   * Column names and rows of a query, for `runlog query`. `readOnly`: inside a read-only transaction (rolled back), so
   * the user's SQL cannot change the database either.
   */
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

  /**
   * From now on this database reads and writes no file but its own (and its spill directory), loads and installs no
   * extension, attaches nothing, and its configuration (these settings included) cannot be changed by any statement.
   */
  async lockDown(): Promise<void> {
    for (const s of LOCK_DOWN_SETTINGS) await this.connection.run(s)
  }

  /** Runs `use` on an idle connection of the pool (a new one when all are busy), given back once it is done. */
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
