import {existsSync} from 'node:fs'
import {cpus} from 'node:os'
import {fileURLToPath} from 'node:url'
import {runOnWorkers, threadCount, worthParallel} from '../parallel/worker-pool.js'
import type {RunOverview} from '../readers/run/read-run.js'
import {readRunOverview} from '../readers/run/read-overview.js'
import {describeError} from '../errors.js'
import {logBytes} from '../ingest/log-bytes.js'

export type OverviewResult =
  | {index: number; overview: RunOverview; warnings: string[]; notices: string[]; error?: undefined}
  | {index: number; dir: string; error: string; overview?: undefined; warnings?: undefined; notices?: undefined}

/** Below this many bytes of logs in all, one thread is faster than starting workers. */
const PARALLEL_MIN_BYTES = 32 * 1024 * 1024

/** On all cores when there is enough to read; results in the given order. */
export async function readOverviews(
  dirs: string[],
  onProgress?: (done: number, total: number) => void,
): Promise<OverviewResult[]> {
  const workerFile = fileURLToPath(new URL('./overview-worker.js', import.meta.url))
  const threads = threadCount(dirs.length, cpus().length)
  const bytes = dirs.reduce((sum, d) => sum + logBytes(d), 0)
  if (threads < 2 || !worthParallel(bytes, PARALLEL_MIN_BYTES) || !existsSync(workerFile)) {
    const out: OverviewResult[] = []
    for (const [index, dir] of dirs.entries()) {
      out.push(readOverview(index, dir))
      onProgress?.(index + 1, dirs.length)
    }
    return out
  }
  const results = new Array<OverviewResult>(dirs.length)
  let done = 0
  await runOnWorkers<{index: number; dir: string}, OverviewResult>(
    workerFile,
    dirs.map((dir, index) => ({index, dir})),
    threads,
    (r) => {
      results[r.index] = r
      onProgress?.(++done, dirs.length)
    },
  )
  return results
}

/** Any failure becomes an error result naming the file: one unreadable run never stops the others. */
export function readOverview(index: number, dir: string): OverviewResult {
  try {
    const data = readRunOverview(dir)
    return {index, overview: data.overview, warnings: data.warnings, notices: data.location.warnings ?? []}
  } catch (error) {
    return {index, dir, error: describeError(dir, error)}
  }
}
