import {
  Bool,
  type Data,
  type DataType,
  Dictionary,
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
  makeVector,
} from 'apache-arrow'
import {DICTIONARY_MIN_ROWS, DictionaryCodes} from './dictionary-codes.js'

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
  for (let i = 0; i < values.length; i++)
    if (values[i] !== null && values[i] !== undefined) bitmap[i >> 3] |= 1 << (i & 7)
  return {nullBitmap: bitmap, nullCount}
}

/** 64-bit integers written as two 32-bit words: a BigInt per value is what made int64 columns slow to build. */
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

export function columnData(kind: ColumnKind, type: DataType, values: readonly unknown[]): Data {
  const length = values.length
  const {nullBitmap, nullCount} = validity(values)
  switch (kind) {
    case 'float64':
      return makeData({
        type: type as Float64,
        length,
        nullCount,
        nullBitmap,
        data: filled(new Float64Array(length), values),
      })
    case 'int32':
      return makeData({
        type: type as Int32,
        length,
        nullCount,
        nullBitmap,
        data: filled(new Int32Array(length), values),
      })
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
          // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a text column stores any value's String()
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

/** Null when the column has too few rows or too many distinct values to gain from a dictionary. */
export function dictionaryData(values: readonly unknown[], id: number): Data | null {
  if (values.length < DICTIONARY_MIN_ROWS) return null
  const dict = new DictionaryCodes()
  const codes = new Int32Array(values.length)
  // Runs of the same value (a step's split, a call's role) skip the lookup.
  let last: unknown = null
  let lastCode = 0
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (v === null || v === undefined) continue
    if (v === last) {
      codes[i] = lastCode
      continue
    }
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- as in columnData: any value's String()
    const code = dict.code(typeof v === 'string' ? v : String(v))
    if (code < 0) return null
    codes[i] = code
    last = v
    lastCode = code
  }
  const {nullBitmap, nullCount} = validity(values)
  const type = new Dictionary(new Utf8(), new Int32(), id)
  const dictionary = makeVector(columnData('utf8', new Utf8(), dict.values) as Data<Utf8>)
  return makeData<Dictionary<Utf8, Int32>>({
    type,
    length: values.length,
    nullCount,
    nullBitmap,
    data: codes,
    dictionary,
  })
}

type RowsAppender = (rows: readonly object[], columns: unknown[][]) => void

/** Each property is read by its literal name so the loads stay monomorphic; `row[name]` is much slower. */
function compileRowsAppender(names: readonly string[]): RowsAppender {
  const body = names
    .map((n, c) => `v = r[${JSON.stringify(n)}]; columns[${c}].push(v === undefined ? null : v)`)
    .join('\n      ')
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the body is built from JSON-quoted column names
  return new Function(
    'rows',
    'columns',
    `
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]
      let v
      ${body}
    }`,
  ) as RowsAppender
}

/** JS values take several times their Arrow size, so a big history is built batch by batch. */
export const BATCH_ROWS = 65_536

/**
 * Collects rows in plain arrays (no per-value Arrow builder calls) and builds each column in one pass. Appending may
 * go on after `finish()`: a live run adds rows between snapshots.
 */
export class TableBuilder<S extends ColumnSpec> {
  readonly schema: Schema
  private readonly names: string[]
  private readonly kinds: ColumnKind[]
  private readonly columns: unknown[][]

  /**
   * `dictionary`: low-cardinality text columns become `Dictionary<Int32, Utf8>`, which DuckDB loads cheaply.
   * `onSeal`: each batch is handed over and not kept, so a big history goes into DuckDB while its log is read.
   */
  constructor(
    readonly spec: S,
    private readonly opts: {dictionary?: boolean; onSeal?: (batch: RecordBatch) => void; batchRows?: number} = {},
  ) {
    this.schema = schemaOf(spec)
    this.names = Object.keys(spec)
    this.kinds = this.names.map((n) => spec[n])
    this.columns = this.names.map(() => [])
  }

  /** Record batches built so far (each of `batchRows` rows), before the rows still in `columns`. */
  private readonly sealed: RecordBatch[] = []
  private sealedRows = 0

  /** Includes the rows handed to `onSeal`. */
  get length(): number {
    return this.sealedRows + this.pending()
  }

  private pending(): number {
    return this.columns.length > 0 ? this.columns[0].length : 0
  }

  /** Appends one row; missing or undefined values are nulls. int64 values may be numbers or bigints. */
  append(row: Partial<RowOf<S>>): void {
    const r = row as Record<string, unknown>
    for (let i = 0; i < this.names.length; i++) {
      const v = r[this.names[i]]
      this.columns[i].push(v === undefined ? null : v)
    }
    if (!this.opts.dictionary && this.pending() >= (this.opts.batchRows ?? BATCH_ROWS)) this.seal()
  }

  appendRows(rows: readonly object[]): void {
    this.rowsAppender ??= compileRowsAppender(this.names)
    this.rowsAppender(rows, this.columns)
    if (!this.opts.dictionary && this.pending() >= (this.opts.batchRows ?? BATCH_ROWS)) this.seal()
  }

  private rowsAppender: RowsAppender | null = null

  private seal(): void {
    const batch = this.batch()
    if (this.opts.onSeal) this.opts.onSeal(batch)
    else this.sealed.push(batch)
    this.sealedRows += this.pending()
    for (let i = 0; i < this.columns.length; i++) this.columns[i] = []
  }

  private batch(): RecordBatch {
    const children = this.schema.fields.map(
      (f, i) =>
        (this.opts.dictionary && this.kinds[i] === 'utf8' ? dictionaryData(this.columns[i], i) : null) ??
        columnData(this.kinds[i], f.type as DataType, this.columns[i]),
    )
    const schema = new Schema(
      this.schema.fields.map((f, i) => (children[i].type === f.type ? f : new Field(f.name, children[i].type, true))),
    )
    return new RecordBatch(
      schema,
      makeData({type: new Struct(schema.fields), length: this.pending(), nullCount: 0, children}),
    )
  }

  /** The table of every row appended so far (but those handed to `onSeal`). */
  finish(): Table {
    if (this.sealed.length === 0) return new Table([this.batch()])
    return new Table(this.pending() > 0 ? [...this.sealed, this.batch()] : this.sealed)
  }
}
