import {existsSync, statSync} from 'node:fs'
import {cpus} from 'node:os'
import {fileURLToPath} from 'node:url'
import {runOnWorkers, threadCount, worthParallel} from '../parallel/worker-pool.js'
import {tableFromIPC} from 'apache-arrow'
import {findLogIn} from '../readers/run/locate-run.js'
import {InputError} from '../readers/wandb/errors.js'
import type {RunInput} from './analysis.js'
import type {RunDatabase} from '../engine/run-database.js'
import {type CollectedEvidence, type RunEvidence, appendRunEvidence, emptyEvidenceTable, loadRunEvidence} from './run-evidence.js'
import type {RunInfo} from './types.js'

export type EvidenceMessage =
  | {
      index: number
      runId: string
      info: RunInfo
      warnings: string[]
      damage: string[]
      consoleLines: number
      ipc: Record<string, Array<Uint8Array | null>>
      error?: undefined
    }
  | {index: number; error: {file: string; problem: string}}

/** Below this many bytes of input in all, one thread is faster than starting workers. */
const PARALLEL_MIN_BYTES = 16 * 1024 * 1024

/**
 * Loads every run into the database, in input order. Several big runs are read on all cores (worker threads); otherwise
 * runs are read one by one in this thread (a big run's console is still parsed on a worker meanwhile, see
 * `loadRunEvidence`). Followed (live) runs are always read in this thread. The database may still be opening (loading
 * DuckDB takes ~0.3 s): the first run is read meanwhile.
 */
export async function loadAll(
  database: Promise<RunDatabase>,
  inputs: RunInput[],
  onProgress?: (done: number, total: number) => void,
): Promise<RunEvidence[]> {
  const runs: RunEvidence[] = []
  const taken = new Set<string>()
  const add = (ev: RunEvidence) => {
    taken.add(ev.runId)
    runs.push(ev)
  }
  const workerFile = fileURLToPath(new URL('./evidence-worker.js', import.meta.url))
  const threads = threadCount(inputs.length, cpus().length)
  const bytes = inputs.reduce((sum, i) => sum + inputBytes(i), 0)
  if (threads < 2 || !worthParallel(bytes, PARALLEL_MIN_BYTES) || inputs.some((i) => i.follower) || !existsSync(workerFile)) {
    for (const [n, input] of inputs.entries()) {
      add(await loadRunEvidence(database, input, taken))
      onProgress?.(n + 1, inputs.length)
    }
    return runs
  }
  const collected = await collectOnWorkers(workerFile, inputs, threads, onProgress)
  const db = await database
  for (const ev of collected) add(await appendRunEvidence(db, ev, taken))
  return runs
}

/** Reads the runs on `threads` worker threads into Arrow tables, in input order. */
async function collectOnWorkers(
  workerFile: string,
  inputs: RunInput[],
  threads: number,
  onProgress?: (done: number, total: number) => void,
): Promise<CollectedEvidence[]> {
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
        const tables = Object.fromEntries(Object.entries(m.ipc).map(([name, parts]) => [name, parts.map((u) => (u ? tableFromIPC(u) : emptyEvidenceTable(name)))]))
        const {runId, info, warnings, damage, consoleLines} = m
        results[m.index] = {runId, info, warnings, damage, consoleLines, tables}
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
