import type {TableBuilder, ColumnSpec} from '../../arrow/table-builder.js'
import type {configTable} from './config-table.js'
import type {runsTable} from './runs-table.js'

/** Options of a table builder (see `TableBuilder`). */
export type BuilderOptions = ConstructorParameters<typeof TableBuilder>[1]

/**
 * How a `RunReader` builds Arrow tables. Handed in (see arrow-table-kit.ts) so that reading a run's overview alone
 * (`ls`, `history --format jsonl`) never loads apache-arrow.
 */
export interface RunTableKit {
  builder<S extends ColumnSpec>(spec: S, opts?: BuilderOptions): TableBuilder<S>
  runsTable: typeof runsTable
  configTable: typeof configTable
}
