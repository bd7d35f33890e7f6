import {
  Bool,
  type DataType,
  Field,
  Float64,
  Int32,
  Int64,
  Schema,
  Table,
  TimestampMillisecond,
  Utf8,
  makeBuilder,
  type Builder,
  RecordBatch,
  makeData,
  Struct,
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

/**
 * Appends rows column by column into Arrow builders (no intermediate row objects kept),
 * then finishes into a Table with exactly the spec's schema, even when empty.
 */
export class TableBuilder<S extends ColumnSpec> {
  readonly schema: Schema
  private readonly builders: Builder[]
  private readonly names: string[]
  private rows = 0
  private batchRows = 0
  private readonly batches: RecordBatch[] = []

  constructor(readonly spec: S) {
    this.schema = schemaOf(spec)
    this.names = Object.keys(spec)
    this.builders = this.schema.fields.map((f) => makeBuilder({type: f.type, nullValues: [null, undefined]}))
  }

  /** Rows appended so far. */
  get length(): number {
    return this.rows
  }

  /** Appends one row; missing or undefined values are nulls. int64 values may be numbers or bigints. */
  append(row: Partial<RowOf<S>>): void {
    for (let i = 0; i < this.names.length; i++) {
      let v = (row as Record<string, unknown>)[this.names[i]]
      if (v !== null && v !== undefined && typeof v === 'number' && this.spec[this.names[i]] === 'int64') v = BigInt(Math.trunc(v))
      this.builders[i].append(v as never)
    }
    this.rows++
    this.batchRows++
  }

  /** Seals the rows appended since the last call into a record batch; appending can go on. */
  private flushBatch(): void {
    if (this.batchRows === 0 && this.batches.length > 0) return
    const children = this.builders.map((b) => b.flush())
    const struct = makeData({type: new Struct(this.schema.fields), length: this.batchRows, nullCount: 0, children})
    this.batches.push(new RecordBatch(this.schema, struct))
    this.batchRows = 0
  }

  /**
   * The table of every row appended so far, with exactly the spec's schema (also when empty). Appending may continue
   * afterwards (a live run adds rows between snapshots); later snapshots include the earlier rows.
   */
  finish(): Table {
    this.flushBatch()
    return new Table(this.batches.filter((b, i) => b.numRows > 0 || (i === 0 && this.rows === 0)))
  }
}
