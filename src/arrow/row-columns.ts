import {
  type Bool,
  type Data,
  type DataType,
  Field,
  type Float64,
  type Int32,
  type Int64,
  RecordBatch,
  Schema,
  Struct,
  Table,
  type TimestampMillisecond,
  makeData,
} from 'apache-arrow'
import {type ColumnKind, type ColumnSpec, columnData, dictionaryData, schemaOf} from './table-builder.js'

/**
 * One column's buffers, filled from the rows: `data` (Float64Array, Int32Array, the Int32Array words of int64 values,
 * or a bool bitmap), or `values` for text; `bits` is the validity bitmap (bit set = value present).
 */
interface ColumnFill {
  data: Float64Array | Int32Array | Uint8Array | null
  values: unknown[] | null
  bits: Uint8Array
  nulls: number
}

/** Fills every column of `rows` in one pass over them. */
type RowsFiller = (rows: readonly object[], cols: ColumnFill[]) => void

/** The statements that store row `r`'s value of column `c` (`name`), as `filled`/`int64Words`/`validity` would. */
function storeOf(c: number, name: string, kind: ColumnKind): string {
  const get = `v = r[${JSON.stringify(name)}]`
  if (kind === 'utf8') return `${get}; s${c}[i] = v === undefined ? null : v`
  let store: string
  switch (kind) {
    case 'float64':
    case 'int32':
      store = `d${c}[i] = v`
      break
    case 'bool':
      store = `if (v === true) d${c}[i >> 3] |= 1 << (i & 7)`
      break
    case 'int64':
    case 'timestamp':
      store = `if (typeof v === 'bigint') {
          d${c}[2 * i] = Number(BigInt.asIntN(32, v))
          d${c}[2 * i + 1] = Number(BigInt.asIntN(32, v >> 32n))
        } else {
          n = Math.trunc(Number(v))
          d${c}[2 * i] = n | 0
          d${c}[2 * i + 1] = Math.floor(n / 4294967296)
        }`
      break
  }
  return `${get}
      if (v === null || v === undefined) z${c}++
      else {
        ${store}
        b${c}[i >> 3] |= 1 << (i & 7)
      }`
}

/** Each property is read by its literal name so the loads stay monomorphic (as `TableBuilder.appendRows`). */
function compileFiller(spec: ColumnSpec): RowsFiller {
  const entries = Object.entries(spec)
  const locals = entries
    .map(([, kind], c) =>
      kind === 'utf8'
        ? `const s${c} = cols[${c}].values`
        : `const d${c} = cols[${c}].data, b${c} = cols[${c}].bits\n    let z${c} = 0`,
    )
    .join('\n    ')
  const stores = entries.map(([name, kind], c) => storeOf(c, name, kind)).join('\n      ')
  const counts = entries
    .map(([, kind], c) => (kind === 'utf8' ? '' : `cols[${c}].nulls = z${c}`))
    .filter((s) => s.length > 0)
    .join('\n    ')
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the body is built from JSON-quoted column names
  return new Function(
    'rows',
    'cols',
    `${locals}
    let v, n
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]
      ${stores}
    }
    ${counts}`,
  ) as RowsFiller
}

/** By spec object: the tables' specs are constants, each compiled once. */
const fillers = new Map<ColumnSpec, RowsFiller>()

function emptyFill(kind: ColumnKind, length: number): ColumnFill {
  const bits = new Uint8Array((length + 7) >> 3)
  switch (kind) {
    case 'float64':
      return {data: new Float64Array(length), values: null, bits, nulls: 0}
    case 'int32':
      return {data: new Int32Array(length), values: null, bits, nulls: 0}
    case 'int64':
    case 'timestamp':
      return {data: new Int32Array(length * 2), values: null, bits, nulls: 0}
    case 'bool':
      return {data: new Uint8Array((length + 7) >> 3), values: null, bits, nulls: 0}
    case 'utf8':
      return {data: null, values: new Array<unknown>(length), bits, nulls: 0}
  }
}

function columnOf(kind: ColumnKind, type: DataType, fill: ColumnFill, length: number, id: number): Data {
  if (kind === 'utf8') return dictionaryData(fill.values!, id) ?? columnData(kind, type, fill.values!)
  const nullCount = fill.nulls
  const nullBitmap = nullCount === 0 ? undefined : fill.bits
  switch (kind) {
    case 'float64':
      return makeData({type: type as Float64, length, nullCount, nullBitmap, data: fill.data as Float64Array})
    case 'int32':
      return makeData({type: type as Int32, length, nullCount, nullBitmap, data: fill.data as Int32Array})
    case 'bool':
      return makeData({type: type as Bool, length, nullCount, nullBitmap, data: fill.data as Uint8Array})
    case 'int64':
    case 'timestamp': {
      const data = new BigInt64Array(fill.data!.buffer)
      return makeData({type: type as Int64 | TimestampMillisecond, length, nullCount, nullBitmap, data} as never)
    }
  }
}

/**
 * The table `new TableBuilder(spec, {dictionary: true})` builds from `rows` (`appendRows`, then `finish`), the same
 * bytes, read in one pass straight into the columns' buffers: no JS array of boxed numbers in between, which was most
 * of the time and the garbage of building a big log's tables.
 */
export function rowsTable(spec: ColumnSpec, rows: readonly object[]): Table {
  let fill = fillers.get(spec)
  if (fill === undefined) fillers.set(spec, (fill = compileFiller(spec)))
  const schema = schemaOf(spec)
  const kinds = Object.values(spec)
  const length = rows.length
  const cols = kinds.map((k) => emptyFill(k, length))
  fill(rows, cols)
  const children = schema.fields.map((f, i) => columnOf(kinds[i], f.type as DataType, cols[i], length, i))
  const out = new Schema(
    schema.fields.map((f, i) => (children[i].type === f.type ? f : new Field(f.name, children[i].type, true))),
  )
  return new Table([new RecordBatch(out, makeData({type: new Struct(out.fields), length, nullCount: 0, children}))])
}
