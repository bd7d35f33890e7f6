import {locateRun} from './locate-run.js'
import type {ReadRunOptions, RunOverviewData} from './run-data.js'
import {RunReader} from './run-reader.js'

/** Options of a read with no tables: the history records can still be handed over one by one. */
export type ReadOverviewOptions = Omit<ReadRunOptions, 'tables' | 'onHistoryBatch' | 'historyBatchRows'>

/**
 * Reads a run directory or `.wandb` file as `readRun` does with no tables (its overview, warnings and summary), in
 * one streaming pass over the log, without loading apache-arrow.
 */
export function readRunOverview(path: string, opts: ReadOverviewOptions = {}): RunOverviewData {
  const reader = new RunReader(locateRun(path), {...opts, tables: []}, null)
  reader.update()
  return reader.overviewData({final: true})
}
