/** `compare`: judge rates over steps, one colour per run. */
import type {Summary, SummarySeries} from '../metrics/types.js'
import {type JudgeMarks, judgeRatesSpec, judgeRows} from './summary-judge.js'
import type {ChartSpec} from './common.js'

/** `labels[i]` names `runs[i]`; judge_window alerts are shaded in each run's colour. */
export function compareJudgeSpec(
  runs: Array<{series: SummarySeries; summary?: Summary}>,
  labels: string[],
  judgeThreshold?: number,
): ChartSpec | null {
  const marks: JudgeMarks | undefined =
    judgeThreshold === undefined
      ? undefined
      : {
          threshold: judgeThreshold,
          windows: runs.flatMap((r, i) =>
            (r.summary?.diagnosis ?? []).filter((d) => d.kind === 'judge_window').map((d) => ({...d, run: labels[i]})),
          ),
        }
  return judgeRatesSpec(
    runs.flatMap((r, i) => judgeRows(r.series.judge, labels[i])),
    labels,
    marks,
  )
}
