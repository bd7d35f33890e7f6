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

/** The SQL `CREATE TABLE` for an Arrow table's schema. */
export function createTableSql(name: string, table: Table): string {
  const cols = table.schema.fields.map((f) => `${quoteIdent(f.name)} ${planColumn(f.name, f.type).sqlType}`)
  return `CREATE OR REPLACE TABLE ${quoteIdent(name)} (${cols.join(', ')})`
}

/**
 * Creates table `name` and appends the Arrow table into it column by column, 2,048 rows per DuckDB data chunk
 * (DuckDB's Arrow extension cannot be downloaded here, and row-by-row inserts are far slower).
 */
export async function loadArrowTable(conn: DuckDBConnection, name: string, table: Table): Promise<void> {
  await conn.run(createTableSql(name, table))
  if (table.numRows === 0) return
  const plans = table.schema.fields.map((f) => planColumn(f.name, f.type))
  const vectors = plans.map((_, i) => table.getChildAt(i) as Vector)
  const appender = await conn.createAppender(name)
  const types = plans.map((p) => p.duckType)
  for (let start = 0; start < table.numRows; start += CHUNK_ROWS) {
    const n = Math.min(CHUNK_ROWS, table.numRows - start)
    const chunk = DuckDBDataChunk.create(types, n)
    // Values read straight from the Arrow buffers, one chunk of rows at a time (Vector.get per value was most of
    // the cost, and whole columns as JS values doubled the memory).
    for (let c = 0; c < plans.length; c++) chunk.setColumnValues(c, columnValues(vectors[c].slice(start, start + n), plans[c].convert))
    appender.appendDataChunk(chunk)
  }
  appender.flushSync()
  appender.closeSync()
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
