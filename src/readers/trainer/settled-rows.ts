import type {SettledBatch} from './types.js'

/** Rows of the tables a settled batch holds. */
export function rowsOf(b: SettledBatch): number {
  return (
    b.samples.length +
    b.judgeEvents.length +
    b.apiCalls.length +
    b.stepTallies.length +
    b.collectorSummaries.length +
    b.stepMetrics.length
  )
}

/** How many rows at the start of `rows` belong to steps before `step` (or to no step: lines before the first step). */
export function settledPrefix(rows: ReadonlyArray<{step: number | null}>, step: number): number {
  let n = 0
  while (n < rows.length) {
    const s = rows[n].step
    if (s !== null && s >= step) break
    n++
  }
  return n
}
