/** Worker thread: reads the overview of each run directory it is sent and posts it back (see parallel-overviews.ts). */
import {parentPort} from 'node:worker_threads'
import {readRun} from '../readers/run/read-run.js'
import {InputError} from '../readers/wandb/errors.js'
import type {OverviewResult} from './parallel-overviews.js'

parentPort!.on('message', (msg: {index: number; dir: string} | null) => {
  if (msg === null) {
    parentPort!.close()
    return
  }
  let result: OverviewResult
  try {
    const data = readRun(msg.dir, {tables: ['runs']})
    result = {index: msg.index, overview: data.overview, warnings: data.warnings}
  } catch (error) {
    result = {index: msg.index, error: error instanceof InputError ? error.message : `${msg.dir}: ${(error as Error).message}`}
  }
  parentPort!.postMessage(result)
})
