import {ARROW_TABLE_KIT} from './arrow-table-kit.js'
import {locateRun} from './locate-run.js'
import type {RunLocation} from './locate-run.js'
import type {ReadRunOptions, RunData} from './run-data.js'
import {RunReader} from './run-reader.js'

export type {ReadRunOptions, RunData, RunOverview, RunTableName} from './run-data.js'
export {RunReader} from './run-reader.js'

/** Reads a run directory or `.wandb` file into Arrow tables, in one streaming pass over the log. */
export function readRun(path: string, opts: ReadRunOptions = {}): RunData {
  return readLocatedRun(locateRun(path), opts)
}

export function readLocatedRun(location: RunLocation, opts: ReadRunOptions = {}): RunData {
  const reader = new RunReader(location, opts, ARROW_TABLE_KIT)
  reader.update()
  return reader.data({final: true})
}

export function createRunReader(location: RunLocation, opts: ReadRunOptions = {}): RunReader {
  return new RunReader(location, opts, ARROW_TABLE_KIT)
}
