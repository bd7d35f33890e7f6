import type {Schema, Table} from 'apache-arrow'
import type {StagedTable} from './arrow-to-duckdb.js'
import {everySettled} from './every-settled.js'
import type {StagingStream} from './staging-stream.js'
import type {RunDatabase} from './run-database.js'
import {quoteIdent, quoteLiteral} from './sql-text.js'

/**
 * Parts of a table are staged as they come and `commit` writes them in one statement: one `CREATE TABLE … AS` of
 * every part is several times faster than an `INSERT` per part.
 */
export class RunTableLoader {
  private readonly parts = new Map<string, StagedTable[]>()
  private readonly written = new Set<string>()

  constructor(
    private readonly db: RunDatabase,
    readonly runId: string,
  ) {}

  /** Its Arrow copy can be let go once this resolves. */
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

  /** `adopt` it once closed. */
  static openStream(db: RunDatabase, name: string, schema: Schema): Promise<StagingStream> {
    return db.openStream(db.stagingName(name), schema, columnsToLoad(schema))
  }

  async load(name: string, table: Table): Promise<void> {
    await this.stage(name, table)
    await this.commit([name])
  }

  /** Tables are written at once, each on its own connection: a big run's samples and API calls take as long each. */
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

  /** For a run that could not be read whole, so the others of a sweep go on. */
  async discard(): Promise<void> {
    const staged = [...this.parts.values()].flat()
    this.parts.clear()
    for (const p of staged) await this.db.run(`DROP TABLE IF EXISTS ${quoteIdent(p.name)}`)
    const mine = `run_id = ${quoteLiteral(this.runId)}`
    for (const name of this.written) await this.db.run(`DELETE FROM ${quoteIdent(name)} WHERE ${mine}`)
    this.written.clear()
  }

  private async write(name: string, parts: StagedTable[]): Promise<void> {
    const runId = `${quoteLiteral(this.runId)}::VARCHAR AS run_id`
    const columns = (p: StagedTable) => p.columns.map((c) => `${c.expr} AS ${quoteIdent(c.name)}`).join(', ')
    const selects = parts.map((p) => `SELECT ${runId}, ${columns(p)} FROM ${quoteIdent(p.name)}`)
    const select = selects.join(' UNION ALL BY NAME ')
    // The catalog is asked at most once per table, and not for one known to be absent: per run it adds up in a sweep.
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
