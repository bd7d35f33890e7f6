/** `compare`: cumulative API cost over steps, one colour per run. */
import type {SummarySeries} from '../metrics/types.js'
import {costRows, cumulativeCostSpec} from './summary-cost.js'
import type {ChartSpec} from './common.js'

/** `labels[i]` names `runs[i]` (see `runLabels`). */
export function compareCostSpec(runs: Array<{series: SummarySeries}>, labels: string[]): ChartSpec | null {
  return cumulativeCostSpec(
    runs.flatMap((r, i) => costRows(r.series.cost, labels[i])),
    labels,
  )
}
