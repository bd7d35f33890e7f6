import {
  BIGINT,
  BOOLEAN,
  type DuckDBAppender,
  type DuckDBConnection,
  DuckDBDataChunk,
  type DuckDBType,
  DOUBLE,
  INTEGER,
  TIMESTAMP,
  VARCHAR,
} from '@duckdb/node-api'
import duckdb from '@duckdb/node-bindings'
import {type Data, type DataType, TimeUnit, Type, type Table, type Vector} from 'apache-arrow'
import {DICTIONARY_MAX_VALUES, DICTIONARY_MIN_ROWS, DictionaryCodes} from '../arrow/dictionary-codes.js'
import {quoteIdent, quoteText} from './sql-text.js'
import {type CodeColumn, writeArrowSlice, writeCodeSlice} from './vector-writer.js'

/** DuckDB's standard vector size. */
export const CHUNK_ROWS = 2048

export interface ColumnPlan {
  name: string
  sqlType: string
  duckType: DuckDBType
}

export function planColumn(name: string, type: DataType): ColumnPlan {
  switch (type.typeId) {
    case Type.Dictionary:
      // Dictionary-encoded text (see TableBuilder's `dictionary` option): loaded as its values' type.
      if ((type as unknown as {dictionary: DataType}).dictionary.typeId !== Type.Utf8) break
      return {name, sqlType: 'VARCHAR', duckType: VARCHAR}
    case Type.Utf8:
      return {name, sqlType: 'VARCHAR', duckType: VARCHAR}
    case Type.Float:
      // Values are copied as bytes: only 64-bit floats (the only ones runlog's tables have) fit a DOUBLE.
      if ((type as unknown as {precision: number}).precision !== 2) break
      return {name, sqlType: 'DOUBLE', duckType: DOUBLE}
    case Type.Int: {
      const {bitWidth, isSigned} = type as unknown as {bitWidth: number; isSigned: boolean}
      if (!isSigned || (bitWidth !== 32 && bitWidth !== 64)) break
      return bitWidth === 64
        ? {name, sqlType: 'BIGINT', duckType: BIGINT}
        : {name, sqlType: 'INTEGER', duckType: INTEGER}
    }
    case Type.Bool:
      return {name, sqlType: 'BOOLEAN', duckType: BOOLEAN}
    case Type.Timestamp:
      // Copied as milliseconds × 1000: runlog's timestamps are all milliseconds.
      if ((type as unknown as {unit: TimeUnit}).unit !== TimeUnit.MILLISECOND) break
      return {name, sqlType: 'TIMESTAMP', duckType: TIMESTAMP}
  }
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- Arrow's types print their names (Utf8, Int32…)
  throw new Error(`runlog cannot load Arrow type ${String(type)} (column ${name}) into DuckDB`)
}

/** `columns`: the SQL expression that gives back each original column. */
export interface StagedTable {
  name: string
  columns: Array<{name: string; expr: string}>
}

/** Small integers instead of repeated strings make loading text cheap: DuckDB builds a VARCHAR per string handed. */
function dictionaryEncode(vec: Vector): (CodeColumn & {values: string[]}) | null {
  if ((vec.type as DataType).typeId === Type.Dictionary) return arrowDictionaryCodes(vec)
  if (vec.length < DICTIONARY_MIN_ROWS) return null
  const dict = new DictionaryCodes()
  const codes = new Int32Array(vec.length)
  let validity: Uint8Array | null = null
  let row = 0
  for (const data of vec.data) {
    const offsets = data.valueOffsets as Int32Array
    const bytes = data.values as Uint8Array
    const bitmap = data.nullCount > 0 ? data.nullBitmap : null
    type Latin1Buffer = Buffer & {latin1Slice(start: number, end: number): string}
    const raw = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as Latin1Buffer
    for (let i = 0; i < data.length; i++, row++) {
      const j = data.offset + i
      if (bitmap && (bitmap[j >> 3] & (1 << (j & 7))) === 0) {
        validity ??= new Uint8Array((vec.length + 7) >> 3).fill(0xff)
        validity[row >> 3] &= ~(1 << (row & 7))
        continue
      }
      // Latin-1 keys: one byte per character, no UTF-8 decoding per value (values are decoded once, below).
      const code = dict.code(raw.latin1Slice(offsets[i], offsets[i + 1]))
      if (code < 0) return null
      codes[row] = code
    }
  }
  return {codes, validity, values: dict.values.map((k) => Buffer.from(k, 'latin1').toString('utf8'))}
}

/** Null unless all batches share one dictionary of at most DICTIONARY_MAX_VALUES values. */
function arrowDictionaryCodes(vec: Vector): (CodeColumn & {values: string[]}) | null {
  const dictionary = vec.data[0]?.dictionary
  if (!dictionary || dictionary.length > DICTIONARY_MAX_VALUES) return null
  if (vec.data.some((d) => d.dictionary !== dictionary)) return null
  const codes = new Int32Array(vec.length)
  let validity: Uint8Array | null = null
  let row = 0
  for (const data of vec.data) {
    // Buffers read from IPC may be longer than the column (padding): take exactly its rows.
    codes.set((data.values as Int32Array).subarray(0, data.length), row)
    const bitmap = data.nullCount > 0 ? data.nullBitmap : null
    if (bitmap)
      for (let i = 0; i < data.length; i++) {
        const j = data.offset + i
        if ((bitmap[j >> 3] & (1 << (j & 7))) === 0) {
          validity ??= new Uint8Array((vec.length + 7) >> 3).fill(0xff)
          validity[(row + i) >> 3] &= ~(1 << ((row + i) & 7))
        }
      }
    row += data.length
  }
  return {codes, validity, values: Array.from(dictionary.toArray() as ArrayLike<string | null>, (v) => v ?? '')}
}

/** Written column by column in bulk: DuckDB's Arrow extension cannot be downloaded here. */
export async function stageArrowTable(conn: DuckDBConnection, name: string, table: Table): Promise<StagedTable> {
  const plans = table.schema.fields.map((f) => planColumn(f.name, f.type as DataType))
  const vectors = plans.map((_, i) => table.getChildAt(i) as Vector)
  const dictionaries = plans.map((p, i) => (p.duckType === VARCHAR ? dictionaryEncode(vectors[i]) : null))
  const types = plans.map((p, i) => (dictionaries[i] ? INTEGER : p.duckType))
  const cols = plans.map((p, i) => `${quoteIdent(p.name)} ${dictionaries[i] ? 'INTEGER' : p.sqlType}`)
  await conn.run(`CREATE OR REPLACE TABLE ${quoteIdent(name)} (${cols.join(', ')})`)
  const columns = plans.map((p, i) => {
    const d = dictionaries[i]
    const ident = quoteIdent(p.name)
    if (!d) return {name: p.name, expr: ident}
    const list = d.values.length === 0 ? '[]::VARCHAR[]' : `[${d.values.map(quoteText).join(', ')}]::VARCHAR[]`
    return {name: p.name, expr: `(${list})[${ident} + 1]`}
  })
  if (table.numRows === 0) return {name, columns}
  const appender = await conn.createAppender(name)
  const chunk = DuckDBDataChunk.create(types)
  // Rows of the batches before the current one (dictionary codes are numbered over the whole table).
  let before = 0
  for (const batch of table.batches) {
    appendBatch(appender, chunk, batch.numRows, batch.data.children, dictionaries, before)
    before += batch.numRows
  }
  appender.flushSync()
  appender.closeSync()
  return {name, columns}
}

/**
 * One data chunk is reused: chunks made anew are freed only when the garbage collector finalizes them, which bloats
 * memory on big histories. A column with codes takes them from `codes[c]` from row `before` (earlier batches' rows).
 */
export function appendBatch(
  appender: DuckDBAppender,
  chunk: DuckDBDataChunk,
  rows: number,
  columns: ReadonlyArray<Data>,
  codes: ReadonlyArray<CodeColumn | null>,
  before: number,
): void {
  for (let start = 0; start < rows; start += CHUNK_ROWS) {
    const n = Math.min(CHUNK_ROWS, rows - start)
    chunk.reset()
    chunk.rowCount = n
    for (let c = 0; c < columns.length; c++) {
      const vector = duckdb.data_chunk_get_vector(chunk.chunk, c)
      const d = codes[c]
      if (d) writeCodeSlice(vector, d, before + start, n)
      else writeArrowSlice(vector, columns[c], start, n)
    }
    appender.appendDataChunk(chunk)
  }
}

export async function loadArrowTable(conn: DuckDBConnection, name: string, table: Table): Promise<void> {
  const stage = `${name}__staging`
  const staged = await stageArrowTable(conn, stage, table)
  if (staged.columns.every((c) => c.expr === quoteIdent(c.name))) {
    await conn.run(`ALTER TABLE ${quoteIdent(stage)} RENAME TO ${quoteIdent(name)}`).catch(async () => {
      await conn.run(`DROP TABLE IF EXISTS ${quoteIdent(name)}`)
      await conn.run(`ALTER TABLE ${quoteIdent(stage)} RENAME TO ${quoteIdent(name)}`)
    })
    return
  }
  const select = staged.columns.map((c) => `${c.expr} AS ${quoteIdent(c.name)}`).join(', ')
  await conn.run(`CREATE OR REPLACE TABLE ${quoteIdent(name)} AS SELECT ${select} FROM ${quoteIdent(stage)}`)
  await conn.run(`DROP TABLE ${quoteIdent(stage)}`)
}
