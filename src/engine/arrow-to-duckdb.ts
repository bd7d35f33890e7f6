import {
  BIGINT,
  BOOLEAN,
  type DuckDBConnection,
  DuckDBDataChunk,
  type DuckDBType,
  type DuckDBValue,
  DOUBLE,
  INTEGER,
  TIMESTAMP,
  VARCHAR,
  timestampValue,
} from '@duckdb/node-api'
import {type DataType, Type, type Table, type Vector} from 'apache-arrow'

/** DuckDB's standard vector size: rows per appended data chunk. */
const CHUNK_ROWS = 2048

interface ColumnPlan {
  name: string
  sqlType: string
  duckType: DuckDBType
  convert: (v: unknown) => DuckDBValue
}

function planColumn(name: string, type: DataType): ColumnPlan {
  switch (type.typeId) {
    case Type.Utf8:
    case Type.LargeUtf8:
      return {name, sqlType: 'VARCHAR', duckType: VARCHAR, convert: (v) => v as string}
    case Type.Float:
      return {name, sqlType: 'DOUBLE', duckType: DOUBLE, convert: (v) => v as number}
    case Type.Int: {
      const bits = (type as unknown as {bitWidth: number}).bitWidth
      return bits === 64
        ? {name, sqlType: 'BIGINT', duckType: BIGINT, convert: (v) => (typeof v === 'bigint' ? v : BigInt(v as number))}
        : {name, sqlType: 'INTEGER', duckType: INTEGER, convert: (v) => v as number}
    }
    case Type.Bool:
      return {name, sqlType: 'BOOLEAN', duckType: BOOLEAN, convert: (v) => v as boolean}
    case Type.Timestamp:
      return {
        name,
        sqlType: 'TIMESTAMP',
        duckType: TIMESTAMP,
        convert: (v) => timestampValue(BigInt(Math.round(Number(v) * 1000))),
      }
    default:
      throw new Error(`runlog cannot load Arrow type ${String(type)} (column ${name}) into DuckDB`)
  }
}

const quoteIdent = (s: string) => `"${s.replace(/"/g, '""')}"`

/** Text columns of at least this many rows are tried for dictionary encoding. */
const DICTIONARY_MIN_ROWS = 4096
/** A text column with more distinct values than this (in its first DICTIONARY_MIN_ROWS rows, or at all) stays plain. */
const DICTIONARY_MAX_VALUES = 256

/** A staged Arrow table: the DuckDB table holding it, and the SQL expression that gives back each original column. */
export interface StagedTable {
  name: string
  columns: Array<{name: string; expr: string}>
}

const quoteLiteral = (s: string) => `'${s.replace(/'/g, "''")}'`

/**
 * The codes of a low-cardinality text column (its values' indices in `values`), or null when it has too many
 * distinct values. Passing small integers instead of repeated strings is what makes loading text cheap: DuckDB
 * builds a VARCHAR for every string it is handed.
 */
function dictionaryEncode(vec: Vector): {codes: Array<number | null>; values: string[]} | null {
  if (vec.length < DICTIONARY_MIN_ROWS) return null
  const index = new Map<string, number>()
  const values: string[] = []
  const codes: Array<number | null> = new Array(vec.length)
  for (let start = 0; start < vec.length; start += CHUNK_ROWS) {
    const n = Math.min(CHUNK_ROWS, vec.length - start)
    const chunk = columnValues(vec.slice(start, start + n), (v) => v as string)
    for (let i = 0; i < n; i++) {
      const v = chunk[i] as string | null
      if (v === null) {
        codes[start + i] = null
        continue
      }
      let code = index.get(v)
      if (code === undefined) {
        code = values.length
        if (code >= DICTIONARY_MAX_VALUES) return null
        index.set(v, code)
        values.push(v)
      }
      codes[start + i] = code
    }
  }
  return {codes, values}
}

/**
 * Appends the Arrow table into a new DuckDB table `name`, column by column, 2,048 rows per DuckDB data chunk
 * (DuckDB's Arrow extension cannot be downloaded here, and row-by-row inserts are far slower). Low-cardinality text
 * columns are stored as integer codes; `columns` says how to read every column back.
 */
export async function stageArrowTable(conn: DuckDBConnection, name: string, table: Table): Promise<StagedTable> {
  const plans = table.schema.fields.map((f) => planColumn(f.name, f.type))
  const vectors = plans.map((_, i) => table.getChildAt(i) as Vector)
  const dictionaries = plans.map((p, i) => (p.duckType === VARCHAR ? dictionaryEncode(vectors[i]) : null))
  const types = plans.map((p, i) => (dictionaries[i] ? INTEGER : p.duckType))
  const cols = plans.map((p, i) => `${quoteIdent(p.name)} ${dictionaries[i] ? 'INTEGER' : p.sqlType}`)
  await conn.run(`CREATE OR REPLACE TABLE ${quoteIdent(name)} (${cols.join(', ')})`)
  const columns = plans.map((p, i) => {
    const d = dictionaries[i]
    const ident = quoteIdent(p.name)
    if (!d) return {name: p.name, expr: ident}
    const list = d.values.length === 0 ? '[]::VARCHAR[]' : `[${d.values.map(quoteLiteral).join(', ')}]::VARCHAR[]`
    return {name: p.name, expr: `(${list})[${ident} + 1]`}
  })
  if (table.numRows === 0) return {name, columns}
  const appender = await conn.createAppender(name)
  for (let start = 0; start < table.numRows; start += CHUNK_ROWS) {
    const n = Math.min(CHUNK_ROWS, table.numRows - start)
    const chunk = DuckDBDataChunk.create(types, n)
    // Values read straight from the Arrow buffers, one chunk of rows at a time (Vector.get per value was most of
    // the cost, and whole columns as JS values doubled the memory).
    for (let c = 0; c < plans.length; c++) {
      const d = dictionaries[c]
      chunk.setColumnValues(c, d ? d.codes.slice(start, start + n) : columnValues(vectors[c].slice(start, start + n), plans[c].convert))
    }
    appender.appendDataChunk(chunk)
  }
  appender.flushSync()
  appender.closeSync()
  return {name, columns}
}

/** Creates table `name` holding the Arrow table, with exactly its columns and types. */
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

const decoder = new TextDecoder()

/** Whether bit `i` of a validity bitmap is set (no bitmap: every value is present). */
const valid = (bitmap: Uint8Array | null | undefined, i: number) => !bitmap || bitmap.length === 0 || (bitmap[i >> 3] & (1 << (i & 7))) !== 0

/** Every value of a column as a DuckDB value (null where Arrow has none), read chunk by chunk from the buffers. */
function columnValues(vec: Vector, convert: (v: unknown) => DuckDBValue): DuckDBValue[] {
  const out: DuckDBValue[] = new Array(vec.length)
  let k = 0
  for (const data of vec.data) {
    const bitmap = data.nullCount > 0 ? data.nullBitmap : null
    const off = data.offset
    if (data.typeId === Type.Utf8) {
      const offsets = data.valueOffsets as Int32Array
      const bytes = data.values as Uint8Array
      // ASCII text (nearly all of it) is decoded once and sliced; other text value by value.
      let ascii = true
      for (let b = offsets[0]; b < offsets[data.length]; b++)
        if (bytes[b] > 0x7f) {
          ascii = false
          break
        }
      // Only this slice's bytes (Arrow slices the offsets of a sliced column, not its data buffer).
      const base = offsets[0]
      const whole = ascii ? Buffer.from(bytes.buffer, bytes.byteOffset + base, offsets[data.length] - base).toString('latin1') : null
      for (let i = 0; i < data.length; i++, k++) {
        if (!valid(bitmap, off + i)) {
          out[k] = null
          continue
        }
        const a = offsets[i]
        const b = offsets[i + 1]
        out[k] = whole !== null ? whole.slice(a - base, b - base) : decoder.decode(bytes.subarray(a, b))
      }
    } else if (data.typeId === Type.Bool) {
      const bits = data.values as Uint8Array
      for (let i = 0; i < data.length; i++, k++) {
        const j = off + i
        out[k] = valid(bitmap, j) ? (bits[j >> 3] & (1 << (j & 7))) !== 0 : null
      }
    } else if (data.typeId === Type.Float || (data.typeId === Type.Int && (data.type as unknown as {bitWidth: number}).bitWidth === 32)) {
      const values = data.values as Float64Array | Int32Array
      // Fixed-width buffers are sliced with the column; validity bitmaps are not (they go by `offset`).
      for (let i = 0; i < data.length; i++, k++) out[k] = valid(bitmap, off + i) ? values[i] : null
    } else {
      // int64 and timestamps: through the vector's own getter (bigint or number), then the column's conversion.
      for (let i = 0; i < data.length; i++, k++) {
        if (!valid(bitmap, off + i)) {
          out[k] = null
          continue
        }
        const raw = vec.data.length === 1 ? vec.get(i) : (data.values as BigInt64Array)[i]
        out[k] = raw === null || raw === undefined ? null : convert(raw)
      }
    }
  }
  return out
}
