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

/**
 * How many rows at the start of `rows` come before its trailing rows of steps `step` and later: for the tables no
 * family changes once a row is pushed and settling never reads, so a step number going back (a restarted training
 * appending to its log) does not hold all the rows of the earlier passes.
 */
export function finishedPrefix(rows: ReadonlyArray<{step: number | null}>, step: number): number {
  let n = rows.length
  while (n > 0) {
    const s = rows[n - 1].step
    if (s === null || s < step) break
    n--
  }
  return n
}
