import {existsSync, statSync} from 'node:fs'
import {cpus} from 'node:os'
import {fileURLToPath} from 'node:url'
import {runOnWorkers, threadCount, worthParallel} from '../parallel/worker-pool.js'
import {tableFromIPC} from 'apache-arrow'
import {findLogIn} from '../readers/run/locate-run.js'
import {InputError} from '../readers/wandb/errors.js'
import type {RunInput} from './analysis.js'
import {type CollectedEvidence, collectRunEvidence} from './run-evidence.js'
import type {RunInfo} from './types.js'

export type EvidenceMessage =
  | {index: number; runId: string; info: RunInfo; warnings: string[]; consoleLines: number; ipc: Record<string, Uint8Array>; error?: undefined}
  | {index: number; error: {file: string; problem: string}}

/** Below this many bytes of input in all, one thread is faster than starting workers. */
const PARALLEL_MIN_BYTES = 16 * 1024 * 1024

/**
 * Reads every run into Arrow tables, on all cores (worker threads) when there are several big runs, in input order.
 * Followed (live) runs are always read in this thread.
 */
export async function collectAll(inputs: RunInput[], onProgress?: (done: number, total: number) => void): Promise<CollectedEvidence[]> {
  const workerFile = fileURLToPath(new URL('./evidence-worker.js', import.meta.url))
  const threads = threadCount(inputs.length, cpus().length)
  const bytes = inputs.reduce((sum, i) => sum + inputBytes(i), 0)
  if (threads < 2 || !worthParallel(bytes, PARALLEL_MIN_BYTES) || inputs.some((i) => i.follower) || !existsSync(workerFile)) {
    const out: CollectedEvidence[] = []
    for (const [n, input] of inputs.entries()) {
      out.push(await collectRunEvidence(input.path, input.stdout, input.follower))
      onProgress?.(n + 1, inputs.length)
    }
    return out
  }
  const results: CollectedEvidence[] = new Array(inputs.length)
  let done = 0
  let failure: InputError | null = null
  const tasks = inputs.map((input, index) => ({index, path: input.path, stdout: input.stdout}))
  await runOnWorkers<(typeof tasks)[number], EvidenceMessage>(
    workerFile,
    tasks,
    threads,
    (m) => {
      if (m.error) failure ??= new InputError(m.error.file, m.error.problem)
      else {
        const tables = Object.fromEntries(Object.entries(m.ipc).map(([name, u]) => [name, tableFromIPC(u)]))
        results[m.index] = {runId: m.runId, info: m.info, warnings: m.warnings, consoleLines: m.consoleLines, tables}
      }
      onProgress?.(++done, inputs.length)
    },
    () => failure !== null,
  )
  if (failure) throw failure
  return results
}

function inputBytes(input: RunInput): number {
  try {
    const st = statSync(input.path)
    const log = st.isDirectory() ? findLogIn(input.path) : input.path
    return (log ? statSync(log).size : 0) + (input.stdout ? statSync(input.stdout).size : 0)
  } catch {
    return 0
  }
}
