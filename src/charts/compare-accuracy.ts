/** `compare`: accuracy per dataset over steps, one colour per run. */
import type {SummarySeries} from '../metrics/types.js'
import {accuracyFacetSpec, accuracyRows} from './summary-accuracy.js'
import type {ChartSpec} from './common.js'

/** `labels[i]` names `runs[i]` (see `runLabels`). */
export function compareAccuracySpec(runs: Array<{series: SummarySeries}>, labels: string[]): ChartSpec | null {
  return accuracyFacetSpec(
    runs.flatMap((r, i) => accuracyRows(r.series.datasets, labels[i])),
    labels,
  )
}
