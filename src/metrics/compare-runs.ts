import type {CompareAccuracy, CompareResult, Summary} from './types.js'
import {type RunError, inInputOrder} from '../runs/run-errors.js'

interface AccuracyFigure {
  accuracy: number | null
  ci_low: number | null
  ci_high: number | null
  count: number | null
}

function apart(a: AccuracyFigure | null, b: AccuracyFigure | null): boolean {
  if (!a || !b || a.ci_low === null || a.ci_high === null || b.ci_low === null || b.ci_high === null) return false
  return a.ci_high < b.ci_low || b.ci_high < a.ci_low
}

function sideBySide(per: Array<AccuracyFigure | null>): CompareAccuracy {
  const accuracy = per.map((d) => d?.accuracy ?? null)
  const first = accuracy[0]
  const last = accuracy[accuracy.length - 1]
  return {
    accuracy,
    ci_low: per.map((d) => d?.ci_low ?? null),
    ci_high: per.map((d) => d?.ci_high ?? null),
    count: per.map((d) => d?.count ?? null),
    delta_pp: first !== null && last !== null ? last - first : null,
    significant: per.length > 1 && apart(per[0], per[per.length - 1]),
  }
}

const bySplit = (a: {split: string}, b: {split: string}) => (a.split === b.split ? 0 : a.split === 'train' ? -1 : 1)

/** A gap is significant when the first and last runs' 95 % Wilson intervals do not overlap. */
export function compareSummaries(summaries: Summary[]): CompareResult {
  const keys = new Map<string, {split: 'train' | 'val'; source: string}>()
  for (const s of summaries)
    for (const d of s.datasets) keys.set(`${d.split}\u0000${d.source}`, {split: d.split, source: d.source})
  const datasets = [...keys.values()]
    .map(({split, source}) => ({
      split,
      source,
      ...sideBySide(summaries.map((s) => s.datasets.find((d) => d.split === split && d.source === source) ?? null)),
    }))
    .sort((a, b) => bySplit(a, b) || a.source.localeCompare(b.source))
  const splitNames = [...new Set(summaries.flatMap((s) => s.splits.map((x) => x.split)))]
  const splits = splitNames
    .map((split) => ({split, ...sideBySide(summaries.map((s) => s.splits.find((x) => x.split === split) ?? null))}))
    .sort(bySplit)
  return {
    runs: summaries.map((s) => s.run),
    datasets,
    splits,
    judge: summaries.map((s) => s.judge),
    cost: summaries.map((s) => s.cost),
    diagnosis: summaries.map((s) => s.diagnosis),
  }
}

/** `compare --json` with runs that could not be read: their error entry in `runs`, null in every per-run list. */
type PerRun = Array<number | null>
type SpreadFigures<T> = Omit<T, 'accuracy' | 'ci_low' | 'ci_high' | 'count'> & {
  accuracy: PerRun
  ci_low: PerRun
  ci_high: PerRun
  count: PerRun
}
export type CompareJson = {
  runs: Array<CompareResult['runs'][number] | RunError>
  datasets: Array<SpreadFigures<CompareResult['datasets'][number]>>
  splits: Array<SpreadFigures<CompareResult['splits'][number]>>
  judge: Array<CompareResult['judge'][number] | null>
  cost: Array<CompareResult['cost'][number] | null>
  diagnosis: Array<CompareResult['diagnosis'][number] | null>
}

/** Skipped runs put back in input order (an error in `runs`, null elsewhere); `delta_pp` stays over the runs read. */
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
  const figures = <T extends CompareAccuracy>(d: T) => ({
    ...d,
    accuracy: spread(d.accuracy),
    ci_low: spread(d.ci_low),
    ci_high: spread(d.ci_high),
    count: spread(d.count),
  })
  return {
    runs: inInputOrder(compare.runs, inputIndex, failures),
    datasets: compare.datasets.map(figures),
    splits: compare.splits.map(figures),
    judge: spread(compare.judge),
    cost: spread(compare.cost),
    diagnosis: spread(compare.diagnosis),
  }
}
