import {existsSync} from 'node:fs'
import {cpus} from 'node:os'
import {fileURLToPath} from 'node:url'
import {runOnWorkers, threadCount, worthParallel} from '../parallel/worker-pool.js'
import {tableFromIPC} from 'apache-arrow'
import {InputError, describeError} from '../errors.js'
import type {RunInput} from './run-input.js'
import type {RunDatabase} from '../engine/run-database.js'
import {appendRunEvidence} from './append-run-evidence.js'
import {emptyEvidenceTable} from './evidence-tables.js'
import type {CollectedEvidence, RunEvidence, RunInfo} from './evidence-types.js'
import {loadRunEvidence} from './load-run-evidence.js'
import {logBytes} from './log-bytes.js'

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

/** Several big runs are read on all cores; otherwise one by one here. Followed runs are always read here. */
export async function loadAll(
  database: Promise<RunDatabase>,
  inputs: RunInput[],
  onProgress?: (done: number, total: number) => void,
  opts: {skipUnreadable?: boolean} = {},
): Promise<LoadedRuns> {
  const runs: RunEvidence[] = []
  const inputIndex: number[] = []
  const failures: RunFailure[] = []
  const taken = new Set<string>()
  const add = (ev: RunEvidence, index: number) => {
    taken.add(ev.runId)
    runs.push(ev)
    inputIndex.push(index)
  }
  // A run that cannot be read is skipped (with skipUnreadable), unless the database itself failed: no run's fault.
  const fail = async (index: number, error: unknown) => {
    if (
      !opts.skipUnreadable ||
      (await database.then(
        () => false,
        () => true,
      ))
    )
      throw error
    failures.push({index, path: inputs[index].path, error: describeError(inputs[index].path, error)})
  }
  const workerFile = fileURLToPath(new URL('./evidence-worker.js', import.meta.url))
  const threads = threadCount(inputs.length, cpus().length)
  const bytes = inputs.reduce((sum, i) => sum + inputBytes(i), 0)
  const parallel = threads >= 2 && worthParallel(bytes, PARALLEL_MIN_BYTES) && !inputs.some((i) => i.follower)
  if (!parallel || !existsSync(workerFile)) {
    for (const [n, input] of inputs.entries()) {
      try {
        add(await loadRunEvidence(database, input, taken), n)
      } catch (error) {
        await fail(n, error)
      }
      onProgress?.(n + 1, inputs.length)
    }
    return {runs, inputIndex, failures}
  }
  const collected = await collectOnWorkers(workerFile, inputs, threads, onProgress, Boolean(opts.skipUnreadable))
  const db = await database
  for (const [n, ev] of collected.entries()) {
    if (ev instanceof InputError) await fail(n, ev)
    else add(await appendRunEvidence(db, ev, taken), n)
  }
  return {runs, inputIndex, failures}
}

/** A run that could not be read: its position among the inputs, its path, and the problem (naming the file). */
export interface RunFailure {
  index: number
  path: string
  error: string
}

export interface LoadedRuns {
  /** The runs read, in input order. */
  runs: RunEvidence[]
  /** The position among the inputs of each run read. */
  inputIndex: number[]
  /** The runs skipped (only with `skipUnreadable`). */
  failures: RunFailure[]
}

/** With `keepGoing` an unreadable run is its error; otherwise the first error is thrown and no more runs start. */
async function collectOnWorkers(
  workerFile: string,
  inputs: RunInput[],
  threads: number,
  onProgress: ((done: number, total: number) => void) | undefined,
  keepGoing: boolean,
): Promise<Array<CollectedEvidence | InputError>> {
  const results = new Array<CollectedEvidence | InputError>(inputs.length)
  let done = 0
  // Set inside the callback: typed by hand, or TypeScript narrows it to `null` for good.
  let failure = null as InputError | null
  const tasks = inputs.map((input, index) => ({index, path: input.path, stdout: input.stdout}))
  await runOnWorkers<(typeof tasks)[number], EvidenceMessage>(
    workerFile,
    tasks,
    threads,
    (m) => {
      if (m.error) {
        results[m.index] = new InputError(m.error.file, m.error.problem)
        if (!keepGoing) failure ??= results[m.index] as InputError
      } else {
        const table = (name: string, u: Uint8Array | null) => (u ? tableFromIPC(u) : emptyEvidenceTable(name))
        const tables = Object.fromEntries(
          Object.entries(m.ipc).map(([name, parts]) => [name, parts.map((u) => table(name, u))]),
        )
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
  return logBytes(input.path) + (input.stdout ? logBytes(input.stdout) : 0)
}
