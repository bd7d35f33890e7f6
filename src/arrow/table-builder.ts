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

  constructor(readonly spec: S) {
    this.schema = schemaOf(spec)
    this.names = Object.keys(spec)
    this.builders = this.schema.fields.map((f) => makeBuilder({type: f.type, nullValues: [null, undefined]}))
  }

  get length(): number {
    return this.rows
  }

  /** Appends one row; missing or undefined values are nulls. int64 values may be numbers or bigints. */
  append(row: Partial<RowOf<S>>): void {
    for (let i = 0; i < this.names.length; i++) {
      let v = (row as Record<string, unknown>)[this.names[i]]
      if (v !== null && v !== undefined) {
        const kind = this.spec[this.names[i]]
        if (kind === 'int64' && typeof v === 'number') v = BigInt(Math.trunc(v))
        else if (kind === 'timestamp' && typeof v === 'number') v = v
      }
      this.builders[i].append(v as never)
    }
    this.rows++
  }

  finish(): Table {
    const children = this.builders.map((b) => b.finish().toVector().data[0] ?? makeData({type: b.type, length: 0, nullCount: 0}))
    const struct = makeData({
      type: new Struct(this.schema.fields),
      length: this.rows,
      nullCount: 0,
      children: children.map((c) => c),
    })
    return new Table([new RecordBatch(this.schema, struct)])
  }
}
