import {type DuckDBAppender, type DuckDBConnection, DuckDBDataChunk, INTEGER, VARCHAR} from '@duckdb/node-api'
import duckdb from '@duckdb/node-bindings'
import type {DataType, RecordBatch, Schema} from 'apache-arrow'
import {CHUNK_ROWS, type ColumnPlan, type StagedTable, planColumn} from './arrow-to-duckdb.js'
import {quoteIdent} from './sql-text.js'
import {StreamedTextCodes} from './text-codes.js'
import {writeArrowSlice} from './vector-writer.js'

/** Rows a stream's appender holds before they are written to its table. */
const FLUSH_ROWS = 16_384

/**
 * Filled synchronously, batch by batch, so a big history goes into DuckDB while it is still being read. Text goes in
 * as codes numbered as values come (`StreamedTextCodes`), given back as text by the expressions `close` returns.
 */
export class StagingStream {
  private constructor(
    private readonly appender: DuckDBAppender,
    private readonly chunk: DuckDBDataChunk,
    private readonly indices: number[],
    private readonly name: string,
    private readonly plans: ColumnPlan[],
    private readonly texts: Array<StreamedTextCodes | null>,
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
    // A text column is two columns of the staging table: its codes, and its values past the dictionary's room.
    const texts = plans.map((p) => (p.duckType === VARCHAR ? new StreamedTextCodes() : null))
    const definitions = plans.flatMap((p, i) => {
      const ident = quoteIdent(p.name)
      return texts[i] ? [`${ident} INTEGER`, `${quoteIdent(textColumn(p.name))} VARCHAR`] : [`${ident} ${p.sqlType}`]
    })
    await conn.run(`CREATE OR REPLACE TABLE ${quoteIdent(name)} (${definitions.join(', ')})`)
    const appender = await conn.createAppender(name)
    const types = plans.flatMap((p, i) => (texts[i] ? [INTEGER, VARCHAR] : [p.duckType]))
    return new StagingStream(appender, DuckDBDataChunk.create(types), indices, name, plans, texts)
  }

  rows = 0
  /** Rows appended since the appender last wrote its rows to the table. */
  private unflushed = 0

  append(batch: RecordBatch): void {
    // Its columns are picked by index: `RecordBatch.select` (apache-arrow 21) gives columns without their values.
    const children = batch.data.children
    const rows = batch.numRows
    for (let start = 0; start < rows; start += CHUNK_ROWS) {
      const n = Math.min(CHUNK_ROWS, rows - start)
      this.chunk.reset()
      this.chunk.rowCount = n
      let vector = 0
      for (let c = 0; c < this.indices.length; c++) {
        const data = children[this.indices[c]]
        const text = this.texts[c]
        const target = duckdb.data_chunk_get_vector(this.chunk.chunk, vector++)
        if (text) text.write(target, duckdb.data_chunk_get_vector(this.chunk.chunk, vector++), data, start, n)
        else writeArrowSlice(target, data, start, n)
      }
      this.appender.appendDataChunk(this.chunk)
    }
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
    const columns = this.plans.map((p, i) => {
      const ident = quoteIdent(p.name)
      const text = this.texts[i]
      return {name: p.name, expr: text ? text.sql(ident, quoteIdent(textColumn(p.name))) : ident}
    })
    return {name: this.name, columns}
  }
}

/** The staging column of a text column's values that have no code (schema column names have no spaces). */
function textColumn(name: string): string {
  return `${name} text`
}
