import type {CompareResult, Summary} from './types.js'
import {type RunError, inInputOrder} from '../runs/run-errors.js'

/** Per dataset and split, the runs side by side, with the gap from the first run to the last in percentage points. */
export function compareSummaries(summaries: Summary[]): CompareResult {
  const keys = new Map<string, {split: 'train' | 'val'; source: string}>()
  for (const s of summaries) for (const d of s.datasets) keys.set(`${d.split}\u0000${d.source}`, {split: d.split, source: d.source})
  const datasets = [...keys.values()]
    .map(({split, source}) => {
      const per = summaries.map((s) => s.datasets.find((d) => d.split === split && d.source === source) ?? null)
      const accuracy = per.map((d) => d?.accuracy ?? null)
      const first = accuracy[0]
      const last = accuracy[accuracy.length - 1]
      return {
        split,
        source,
        accuracy,
        count: per.map((d) => d?.count ?? null),
        delta_pp: first !== null && last !== null ? last - first : null,
      }
    })
    .sort((a, b) => (a.split === b.split ? a.source.localeCompare(b.source) : a.split === 'train' ? -1 : 1))
  return {runs: summaries.map((s) => s.run), datasets, judge: summaries.map((s) => s.judge), cost: summaries.map((s) => s.cost)}
}

/** `compare --json` with runs that could not be read: their error entry in `runs`, null in every per-run list. */
type PerRun = Array<number | null>
export type CompareJson = {
  runs: Array<CompareResult['runs'][number] | RunError>
  datasets: Array<Omit<CompareResult['datasets'][number], 'accuracy' | 'count'> & {accuracy: PerRun; count: PerRun}>
  judge: Array<CompareResult['judge'][number] | null>
  cost: Array<CompareResult['cost'][number] | null>
}

/**
 * The comparison of the runs read, each per-run list back in input order with the skipped runs in their place (an
 * error entry in `runs`, null elsewhere); `delta_pp` stays from the first run read to the last. Unchanged when none
 * was skipped.
 */
export function withSkippedRuns(
  compare: CompareResult,
  inputIndex: number[],
  failures: ReadonlyArray<{index: number; path: string; error: string}>,
): CompareResult | CompareJson {
  if (failures.length === 0) return compare
  const total = inputIndex.length + failures.length
  const spread = <T>(list: T[]): Array<T | null> => {
    const out = new Array<T | null>(total).fill(null)
    for (const [i, v] of list.entries()) out[inputIndex[i]] = v
    return out
  }
  return {
    runs: inInputOrder(compare.runs, inputIndex, failures),
    datasets: compare.datasets.map((d) => ({...d, accuracy: spread(d.accuracy), count: spread(d.count)})),
    judge: spread(compare.judge),
    cost: spread(compare.cost),
  }
}
