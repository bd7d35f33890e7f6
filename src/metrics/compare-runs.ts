import type {CompareResult, Summary} from './types.js'

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
