import {cpus} from 'node:os'
import {worthPipeline} from '../parallel/worker-pool.js'
import {isWandbLog} from './input-kind.js'
import {logBytes} from './log-bytes.js'
import type {RunFollower} from './run-follower.js'

/** Below this size of log, parsing its console in this thread is faster than starting a worker. */
export const PIPELINE_MIN_BYTES = 16 * 1024 * 1024

/** Whether the run's console is parsed on a worker thread: a big `.wandb`, read whole, with its own console. */
export function consoleOnWorker(runPath: string, opts: {stdout?: string; follower?: RunFollower} = {}): boolean {
  if (opts.stdout || opts.follower || !isWandbLog(runPath)) return false
  return worthPipeline(logBytes(runPath), PIPELINE_MIN_BYTES, cpus().length)
}
