import {
  Bool,
  type Data,
  type DataType,
  Field,
  Float64,
  Int32,
  Int64,
  RecordBatch,
  Schema,
  Struct,
  Table,
  TimestampMillisecond,
  Utf8,
  makeData,
} from 'apache-arrow'

/** Column kinds runlog's tables use. Every column is nullable. */
export type ColumnKind = 'utf8' | 'float64' | 'int32' | 'int64' | 'bool' | 'timestamp'

export type ColumnSpec = Record<string, ColumnKind>

function arrowType(kind: ColumnKind): DataType {
  switch (kind) {
    case 'utf8':
      return new Utf8()
    case 'float64':
      return new Float64()
    case 'int32':
      return new Int32()
    case 'int64':
      return new Int64()
    case 'bool':
      return new Bool()
    case 'timestamp':
      return new TimestampMillisecond()
  }
}

/** The Arrow schema of a column spec. */
export function schemaOf(spec: ColumnSpec): Schema {
  return new Schema(Object.entries(spec).map(([name, kind]) => new Field(name, arrowType(kind), true)))
}

type RowOf<S extends ColumnSpec> = {[K in keyof S]: unknown}

const encoder = new TextEncoder()

/** The validity bitmap of a column (bit set = value present) and its null count; null bitmap omitted when no nulls. */
function validity(values: readonly unknown[]): {nullBitmap: Uint8Array | undefined; nullCount: number} {
  let nullCount = 0
  for (let i = 0; i < values.length; i++) if (values[i] === null || values[i] === undefined) nullCount++
  if (nullCount === 0) return {nullBitmap: undefined, nullCount: 0}
  const bitmap = new Uint8Array((values.length + 7) >> 3)
  for (let i = 0; i < values.length; i++) if (values[i] !== null && values[i] !== undefined) bitmap[i >> 3] |= 1 << (i & 7)
  return {nullBitmap: bitmap, nullCount}
}

/** 64-bit integers written as two 32-bit words (no BigInt per value: that was the cost of building int64 columns). */
function int64Words(values: readonly unknown[]): BigInt64Array {
  const words = new Int32Array(values.length * 2)
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (v === null || v === undefined) continue
    if (typeof v === 'bigint') {
      words[2 * i] = Number(BigInt.asIntN(32, v))
      words[2 * i + 1] = Number(BigInt.asIntN(32, v >> 32n))
    } else {
      const n = Math.trunc(Number(v))
      words[2 * i] = n | 0
      words[2 * i + 1] = Math.floor(n / 4294967296)
    }
  }
  return new BigInt64Array(words.buffer)
}

/** A numeric buffer holding the values (0 where a value is null: the validity bitmap says which). */
function filled<T extends Float64Array | Int32Array>(data: T, values: readonly unknown[]): T {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (v !== null && v !== undefined) data[i] = v as number
  }
  return data
}

/** One column's Arrow data, built in bulk from the values appended to it. */
function columnData(kind: ColumnKind, type: DataType, values: readonly unknown[]): Data {
  const length = values.length
  const {nullBitmap, nullCount} = validity(values)
  switch (kind) {
    case 'float64':
      return makeData({type: type as Float64, length, nullCount, nullBitmap, data: filled(new Float64Array(length), values)})
    case 'int32':
      return makeData({type: type as Int32, length, nullCount, nullBitmap, data: filled(new Int32Array(length), values)})
    case 'int64':
      return makeData({type: type as Int64, length, nullCount, nullBitmap, data: int64Words(values)})
    case 'timestamp':
      return makeData({type: type as TimestampMillisecond, length, nullCount, nullBitmap, data: int64Words(values)})
    case 'bool': {
      const data = new Uint8Array((length + 7) >> 3)
      for (let i = 0; i < length; i++) if (values[i] === true) data[i >> 3] |= 1 << (i & 7)
      return makeData({type: type as Bool, length, nullCount, nullBitmap, data})
    }
    case 'utf8': {
      const valueOffsets = new Int32Array(length + 1)
      let bytes = new Uint8Array(Math.max(64, length * 16))
      let pos = 0
      for (let i = 0; i < length; i++) {
        const v = values[i]
        if (v !== null && v !== undefined) {
          const s = typeof v === 'string' ? v : String(v)
          // A UTF-16 code unit takes at most 3 bytes of UTF-8.
          if (pos + s.length * 3 > bytes.length) {
            const grown = new Uint8Array(Math.max(bytes.length * 2, pos + s.length * 3))
            grown.set(bytes.subarray(0, pos))
            bytes = grown
          }
          pos += encoder.encodeInto(s, bytes.subarray(pos)).written
        }
        valueOffsets[i + 1] = pos
      }
      return makeData({type: type as Utf8, length, nullCount, nullBitmap, valueOffsets, data: bytes.subarray(0, pos)})
    }
  }
}

/**
 * Collects rows column by column (one plain array per column, no per-value Arrow builder calls), then builds each
 * Arrow column in one pass. The table always has exactly the spec's schema, also when empty. Appending may go on after
 * `finish()` (a live run adds rows between snapshots); later snapshots include the earlier rows.
 */
export class TableBuilder<S extends ColumnSpec> {
  readonly schema: Schema
  private readonly names: string[]
  private readonly kinds: ColumnKind[]
  private readonly columns: unknown[][]

  constructor(readonly spec: S) {
    this.schema = schemaOf(spec)
    this.names = Object.keys(spec)
    this.kinds = this.names.map((n) => spec[n])
    this.columns = this.names.map(() => [])
  }

  /** Rows appended so far. */
  get length(): number {
    return this.columns.length > 0 ? this.columns[0].length : 0
  }

  /** Appends one row; missing or undefined values are nulls. int64 values may be numbers or bigints. */
  append(row: Partial<RowOf<S>>): void {
    const r = row as Record<string, unknown>
    for (let i = 0; i < this.names.length; i++) {
      const v = r[this.names[i]]
      this.columns[i].push(v === undefined ? null : v)
    }
  }

  /** The table of every row appended so far. */
  finish(): Table {
    const length = this.length
    const children = this.schema.fields.map((f, i) => columnData(this.kinds[i], f.type, this.columns[i]))
    const struct = makeData({type: new Struct(this.schema.fields), length, nullCount: 0, children})
    return new Table([new RecordBatch(this.schema, struct)])
  }
}
