import {join} from 'node:path'
import {TableSampleReader, tableFileRefs} from '../readers/trainer/wandb-table-parts.js'
import type {ReadProgress} from '../readers/read-progress.js'
import {locateRun} from '../readers/run/locate-run.js'
import {type RunData, type RunTableName, readLocatedRun} from '../readers/run/read-run.js'
import type {HistoryRecord} from '../readers/wandb/records.js'
import {inlineConsoleParsing, startParseWorker, workerConsoleParsing} from './console-parsing.js'
import {consoleOnWorker} from './console-on-worker.js'
import type {StartOptions} from './evidence-types.js'
import type {TrainerParse} from './run-start.js'

/** wandb Table files per part of the samples when they go into the database as they are read (small parts). */
const STREAMED_TABLE_FILES_PER_PART = 200

export interface WandbLogRead {
  data: RunData
  /** Finishes parsing its console; null when a stdout log replaces it. */
  parse: TrainerParse | null
  /** The reader of its wandb Tables' samples, when they are taken as they come (`onTableSamples`). */
  tableReader: TableSampleReader | null
  /** Stops the console's worker, when one was started here and is no longer needed. */
  stopWorker(): void
}

/** A big log's console is parsed on a worker thread meanwhile, so decoding and parsing use both cores. */
export function readWandbLog(
  runPath: string,
  opts: StartOptions,
  onProgress: ReadProgress | undefined,
  tableWarnings: string[],
): WandbLogRead {
  const {onHistoryBatch, historyBatchRows, onTableSamples, parseWorker} = opts
  const location = locateRun(runPath)
  const tableReader =
    location.dir && onTableSamples
      ? new TableSampleReader(join(location.dir, 'files'), onTableSamples, tableWarnings, STREAMED_TABLE_FILES_PER_PART)
      : null
  const whileWaiting = tableReader ? () => tableReader.readOne() : undefined
  const worker = parseWorker !== undefined ? parseWorker : consoleOnWorker(runPath, opts) ? startParseWorker() : null
  const ownWorker = worker !== null && parseWorker === undefined
  const stopWorker = () => void (worker && worker.worker.terminate().finally(worker.removeParts))
  const parsing = opts.stdout
    ? null
    : ((worker && workerConsoleParsing({worker, whileWaiting})) ?? inlineConsoleParsing())
  const onOutputRecord = parsing ? (body: Uint8Array) => parsing.pushRecord(body) : undefined
  const onHistory = tableReader
    ? (rec: HistoryRecord) => tableFileRefs(rec).forEach((ref) => tableReader.add(ref))
    : undefined
  let data: RunData
  try {
    // Taken as they come, the Tables need no media table (it would check every file's presence, unused).
    const tables: RunTableName[] = tableReader ? ['history', 'summary'] : ['history', 'summary', 'media']
    data = readLocatedRun(location, {tables, onOutputRecord, onProgress, onHistoryBatch, historyBatchRows, onHistory})
  } catch (error) {
    // A worker started here is stopped: left running, it would keep a worker thread of a sweep from exiting.
    if (ownWorker) stopWorker()
    throw error
  }
  // The console is all read: the worker finishes its tables while the wandb Tables are read here.
  parsing?.end()
  return {data, parse: parsing && ((onTable) => parsing.finish(onTable)), tableReader, stopWorker}
}
