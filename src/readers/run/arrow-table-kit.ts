import {TableBuilder} from '../../arrow/table-builder.js'
import {configTable} from './config-table.js'
import type {RunTableKit} from './run-table-kit.js'
import {runsTable} from './runs-table.js'

/** The Arrow table builders `readRun` reads a run's tables with. */
export const ARROW_TABLE_KIT: RunTableKit = {
  builder: (spec, opts) => new TableBuilder(spec, opts),
  runsTable,
  configTable,
}
