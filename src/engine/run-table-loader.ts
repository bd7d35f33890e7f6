import type {Schema, Table} from 'apache-arrow'
import type {StagedTable} from './arrow-to-duckdb.js'
import {everySettled} from './every-settled.js'
import type {StagingStream} from './staging-stream.js'
import type {RunDatabase} from './run-database.js'
import {quoteIdent, quoteLiteral} from './sql-text.js'

/**
 * Loads one run's Arrow tables into the database's tables (created on first use), with a leading `run_id` column.
 * A table can come in parts (a run's samples from its wandb Tables, then from its console): each part is staged as it
 * comes, and `commit` writes all the parts of a table in one statement: one `CREATE TABLE … AS` of every part is
 * several times faster than an `INSERT` of each part after the first.
 */
export class RunTableLoader {
  /** The staged parts of each table not yet committed. */
  private readonly parts = new Map<string, StagedTable[]>()
  /** Tables this run's rows were written to. */
  private readonly written = new Set<string>()

  constructor(
    private readonly db: RunDatabase,
    /** The run id its rows are tagged with. */
    readonly runId: string,
  ) {}

  /** Stages one part of table `name` (its Arrow copy can be let go once this resolves). */
  async stage(name: string, table: Table): Promise<void> {
    // An empty part adds nothing to a table that exists: most trainer tables of a run without GRPO output are empty,
    // and staging each would cost three statements for every run of a sweep.
    if (table.numRows === 0 && this.db.loadedTables.has(name)) return
    const cols = columnsToLoad(table.schema)
    this.adopt(name, await this.db.stage(this.db.stagingName(name), table.select(cols)))
  }

  /** Adds a part of table `name` staged elsewhere (a closed `StagingStream`), after the parts staged so far. */
  adopt(name: string, part: StagedTable): void {
    const list = this.parts.get(name)
    if (list) list.push(part)
    else this.parts.set(name, [part])
  }

  /**
   * A staging table for a part of table `name` that comes batch by batch, with the columns of `schema` but `run_id`;
   * `adopt` it once closed.
   */
  static openStream(db: RunDatabase, name: string, schema: Schema): Promise<StagingStream> {
    return db.openStream(db.stagingName(name), schema, columnsToLoad(schema))
  }

  /** Stages a table and commits it (it has no more parts). */
  async load(name: string, table: Table): Promise<void> {
    await this.stage(name, table)
    await this.commit([name])
  }

  /**
   * Writes the staged parts of the given tables (default: all) into the database's tables, and drops the staging. The
   * tables are written at once, each on a connection of its own (a big run's samples and API calls take about as long
   * each).
   */
  async commit(names: Iterable<string> = [...this.parts.keys()]): Promise<void> {
    const writes: Array<Promise<void>> = []
    for (const name of names) {
      const parts = this.parts.get(name)
      if (!parts) continue
      this.parts.delete(name)
      writes.push(this.write(name, parts))
    }
    await everySettled(writes)
  }

  /**
   * Takes back what was loaded of a run that could not be read whole (the others of a sweep go on): its staging
   * tables are dropped and its rows deleted from the tables they went into.
   */
  async discard(): Promise<void> {
    const staged = [...this.parts.values()].flat()
    this.parts.clear()
    for (const p of staged) await this.db.run(`DROP TABLE IF EXISTS ${quoteIdent(p.name)}`)
    const mine = `run_id = ${quoteLiteral(this.runId)}`
    for (const name of this.written) await this.db.run(`DELETE FROM ${quoteIdent(name)} WHERE ${mine}`)
    this.written.clear()
  }

  /** One table's parts into the table (created by the first run that has it), then their staging dropped. */
  private async write(name: string, parts: StagedTable[]): Promise<void> {
    const runId = `${quoteLiteral(this.runId)}::VARCHAR AS run_id`
    const columns = (p: StagedTable) => p.columns.map((c) => `${c.expr} AS ${quoteIdent(c.name)}`).join(', ')
    const selects = parts.map((p) => `SELECT ${runId}, ${columns(p)} FROM ${quoteIdent(p.name)}`)
    const select = selects.join(' UNION ALL BY NAME ')
    // The catalog is asked at most once per table (asking it for every run of a big sweep added up), and not for a
    // table known to be absent.
    const {loadedTables, absentTables} = this.db
    // A database kept with --db may hold this run from an earlier invocation: those rows go first.
    await this.db.forgetRun(this.runId)
    const create = !loadedTables.has(name) && (absentTables.has(name) || !(await this.db.tableExists(name)))
    this.written.add(name)
    const table = quoteIdent(name)
    const write = create ? `CREATE TABLE ${table} AS ${select}` : `INSERT INTO ${table} BY NAME ${select}`
    await this.db.runApart(write, ...parts.map((p) => `DROP TABLE ${quoteIdent(p.name)}`))
    absentTables.delete(name)
    loadedTables.add(name)
  }
}

/** The columns of a table that are loaded: all but `run_id` (a constant per run, added in SQL, not value by value).*/
function columnsToLoad(schema: Schema): string[] {
  return schema.fields.map((f) => f.name).filter((n) => n !== 'run_id')
}
