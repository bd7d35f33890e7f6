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
  const columns = plans.map((_, i) => table.getChildAt(i) as Vector)
  const appender = await conn.createAppender(name)
  const types = plans.map((p) => p.duckType)
  for (let start = 0; start < table.numRows; start += CHUNK_ROWS) {
    const n = Math.min(CHUNK_ROWS, table.numRows - start)
    const chunk = DuckDBDataChunk.create(types, n)
    for (let c = 0; c < plans.length; c++) {
      const values: DuckDBValue[] = new Array(n)
      const vec = columns[c]
      const convert = plans[c].convert
      for (let i = 0; i < n; i++) {
        const v = vec.get(start + i)
        values[i] = v === null || v === undefined ? null : convert(v)
      }
      chunk.setColumnValues(c, values)
    }
    appender.appendDataChunk(chunk)
  }
  appender.flushSync()
  appender.closeSync()
}
