import {type DuckDBAppender, type DuckDBConnection, DuckDBDataChunk} from '@duckdb/node-api'
import type {DataType, RecordBatch, Schema} from 'apache-arrow'
import {type StagedTable, appendBatch, planColumn} from './arrow-to-duckdb.js'
import {quoteIdent} from './sql-text.js'

/** Rows a stream's appender holds before they are written to its table. */
const FLUSH_ROWS = 16_384

/**
 * Filled synchronously, batch by batch, so a big history goes into DuckDB while it is still being read. Text stays
 * text: dictionary codes are numbered over a whole table, which is not known yet.
 */
export class StagingStream {
  private constructor(
    private readonly appender: DuckDBAppender,
    private readonly chunk: DuckDBDataChunk,
    private readonly indices: number[],
    private readonly staged: StagedTable,
  ) {}

  static async open(
    conn: DuckDBConnection,
    name: string,
    schema: Schema,
    names: readonly string[],
  ): Promise<StagingStream> {
    const indices = names.map((n) => {
      const i = schema.fields.findIndex((f) => f.name === n)
      if (i < 0) throw new Error(`no column ${n} in the schema of ${name}`)
      return i
    })
    const plans = indices.map((i) => planColumn(schema.fields[i].name, schema.fields[i].type as DataType))
    const definitions = plans.map((p) => `${quoteIdent(p.name)} ${p.sqlType}`).join(', ')
    await conn.run(`CREATE OR REPLACE TABLE ${quoteIdent(name)} (${definitions})`)
    const appender = await conn.createAppender(name)
    const columns = plans.map((p) => ({name: p.name, expr: quoteIdent(p.name)}))
    return new StagingStream(appender, DuckDBDataChunk.create(plans.map((p) => p.duckType)), indices, {name, columns})
  }

  rows = 0
  /** Rows appended since the appender last wrote its rows to the table. */
  private unflushed = 0

  append(batch: RecordBatch): void {
    // Its columns are picked by index: `RecordBatch.select` (apache-arrow 21) gives columns without their values.
    const children = batch.data.children
    appendBatch(
      this.appender,
      this.chunk,
      batch.numRows,
      this.indices.map((i) => children[i]),
      [],
      0,
    )
    this.rows += batch.numRows
    this.unflushed += batch.numRows
    // An appender keeps up to 204,800 rows in memory of its own, outside DuckDB's limit, before it writes them to the
    // table: flushed sooner, a big run's streams stay small.
    if (this.unflushed >= FLUSH_ROWS) {
      this.appender.flushSync()
      this.unflushed = 0
    }
  }

  close(): StagedTable {
    this.appender.flushSync()
    this.appender.closeSync()
    return this.staged
  }
}
