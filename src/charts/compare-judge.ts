/** `compare`: judge rates over steps, one colour per run. */
import type {SummarySeries} from '../metrics/types.js'
import {judgeRatesSpec, judgeRows} from './summary-judge.js'
import type {ChartSpec} from './common.js'

/** `labels[i]` names `runs[i]` (see `runLabels`). */
export function compareJudgeSpec(runs: Array<{series: SummarySeries}>, labels: string[]): ChartSpec | null {
  return judgeRatesSpec(
    runs.flatMap((r, i) => judgeRows(r.series.judge, labels[i])),
    labels,
  )
}
