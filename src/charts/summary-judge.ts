/** `summarize`: LLM-judge health over steps — success rate, and parse / API failure rates. */
import type {Diagnosis, StepJudgePoint, SummarySeries} from '../metrics/types.js'
import {STEP_X, known, runColor, type ChartSpec, type LayerItem} from './common.js'

export type JudgeMetric = 'success' | 'parse failure' | 'API failure'

export interface JudgeRow {
  run?: string
  step: number
  calls: number
  metric: JudgeMetric
  /** Fraction 0–1; null where unknown (the line breaks there, it is never drawn as 0). */
  rate: number | null
}

/** One row per step and rate, from the series points as they are. */
export function judgeRows(points: StepJudgePoint[], run?: string): JudgeRow[] {
  const rows: JudgeRow[] = []
  for (const p of points) {
    if (!known(p.step)) continue
    const rates: Array<[JudgeMetric, number | null]> = [
      ['success', p.success_rate],
      ['parse failure', p.parse_failure_rate],
      ['API failure', p.api_failure_rate],
    ]
    for (const [metric, rate] of rates) {
      const row: JudgeRow = {step: p.step, calls: p.calls, metric, rate: known(rate) ? rate : null}
      rows.push(run === undefined ? row : {run, ...row})
    }
  }
  return rows
}

const FAILURES: JudgeMetric[] = ['parse failure', 'API failure']

/** What the success panel marks besides the rate: the judge threshold as a rule, each judge_window as a shaded span. */
export interface JudgeMarks {
  /** Fraction. */
  threshold: number
  /** `run`: the run's label, when comparing (the span then takes the run's colour). */
  windows: Array<Pick<Diagnosis, 'from_step' | 'to_step' | 'value' | 'message'> & {run?: string}>
}

/** The shaded judge windows (half a step either side, so a one-step window shows) and the threshold rule, labelled. */
function judgeMarkLayers(marks: JudgeMarks, runs?: string[]): LayerItem[] {
  const spans = marks.windows
    .filter((w) => known(w.from_step) && known(w.to_step))
    .map((w) => ({
      from: w.from_step! - 0.5,
      to: w.to_step! + 0.5,
      from_step: w.from_step,
      to_step: w.to_step,
      lowest: w.value,
      message: w.message,
      ...(w.run === undefined ? {} : {run: w.run}),
    }))
  const label = `judge threshold ${Math.round(marks.threshold * 1000) / 10}%`
  return [
    ...(spans.length > 0
      ? [
          {
            data: {values: spans},
            mark: {type: 'rect' as const, color: '#e45756', opacity: 0.16},
            encoding: {
              x: {field: 'from', type: 'quantitative' as const},
              x2: {field: 'to'},
              ...(runs === undefined ? {} : {color: runColor(runs)}),
              tooltip: [
                ...(runs === undefined ? [] : [{field: 'run', type: 'nominal' as const, title: 'run'}]),
                {field: 'from_step', type: 'quantitative' as const, title: 'judge window from step'},
                {field: 'to_step', type: 'quantitative' as const, title: 'to step'},
                {field: 'lowest', type: 'quantitative' as const, title: 'lowest windowed rate', format: '.1%'},
              ],
            },
          },
        ]
      : []),
    {
      data: {values: [{threshold: marks.threshold, label}]},
      mark: {type: 'rule' as const, color: '#b00020', strokeDash: [5, 3], strokeWidth: 1.2},
      encoding: {
        y: {field: 'threshold', type: 'quantitative' as const},
        tooltip: [{field: 'label', type: 'nominal' as const, title: 'rule'}],
      },
    },
    {
      data: {values: [{threshold: marks.threshold, label}]},
      mark: {
        type: 'text' as const,
        color: '#b00020',
        align: 'left' as const,
        baseline: 'bottom' as const,
        dx: 3,
        dy: -2,
        fontSize: 10,
      },
      encoding: {y: {field: 'threshold', type: 'quantitative' as const}, x: {value: 0}, text: {field: 'label'}},
    },
  ]
}

/** Failure rates get their own scale so small rates show; with `runs`, colour is the run and dash the failure kind. */
export function judgeRatesSpec(rows: JudgeRow[], runs?: string[], marks?: JudgeMarks): ChartSpec | null {
  if (!rows.some((r) => r.rate !== null)) return null
  const byRun = runs !== undefined
  const tooltip = [
    ...(byRun ? [{field: 'run', type: 'nominal' as const, title: 'run'}] : []),
    {field: 'step', type: 'quantitative' as const, title: 'step'},
    {field: 'metric', type: 'nominal' as const, title: 'rate'},
    {field: 'rate', type: 'quantitative' as const, title: 'rate (%)', format: '.2%'},
    {field: 'calls', type: 'quantitative' as const, title: 'judge calls'},
  ]
  const line = {
    type: 'line' as const,
    strokeWidth: 1.5,
    point: byRun ? false : {size: 18, filled: true},
    invalid: 'break-paths-filter-domains' as const,
  }
  const rate: ChartSpec = {
    width: 340,
    height: 170,
    title: 'Judge success rate',
    transform: [{filter: "datum.metric === 'success'"}],
    mark: line,
    encoding: {
      x: STEP_X,
      y: {
        field: 'rate',
        type: 'quantitative',
        title: 'success rate (%)',
        axis: {format: '.0%'},
        scale: {zero: false, domainMax: 1},
      },
      ...(byRun ? {color: runColor(runs)} : {color: {value: '#54a24b'}}),
      tooltip,
    },
  }
  const success: ChartSpec = marks
    ? (() => {
        const {width, height, title, ...layer} = rate as ChartSpec & {width: number; height: number; title: string}
        // The windows below the rate line, the threshold above it.
        const [spans, ...threshold] = judgeMarkLayers(marks, runs)
        const below = marks.windows.length > 0 ? [spans] : []
        const above = marks.windows.length > 0 ? threshold : [spans, ...threshold]
        return {width, height, title, layer: [...below, layer, ...above]} as ChartSpec
      })()
    : rate
  const failures: ChartSpec = {
    width: 340,
    height: 170,
    title: 'Judge failure rates',
    transform: [{filter: "datum.metric !== 'success'"}],
    mark: line,
    encoding: {
      x: STEP_X,
      y: {field: 'rate', type: 'quantitative', title: 'failure rate (%)', axis: {format: '.1~%'}, scale: {zero: true}},
      ...(byRun
        ? {
            color: runColor(runs),
            strokeDash: {
              field: 'metric',
              type: 'nominal',
              title: 'failure',
              scale: {
                domain: FAILURES,
                range: [
                  [1, 0],
                  [5, 3],
                ],
              },
              legend: {symbolType: 'stroke', symbolStrokeWidth: 2, symbolSize: 400, symbolStrokeColor: '#555'},
            },
          }
        : {
            color: {
              field: 'metric',
              type: 'nominal',
              title: 'failure',
              scale: {domain: FAILURES, range: ['#f58518', '#e45756']},
            },
          }),
      tooltip,
    },
  }
  return {
    data: {values: rows},
    hconcat: [success, failures],
    // One run colour across panels when comparing; otherwise each panel has its own colours.
    resolve: {
      scale: {color: byRun ? 'shared' : 'independent', y: 'independent', strokeDash: 'independent'},
      legend: {strokeDash: 'independent'},
    },
  }
}

export function summaryJudgeSpec(series: SummarySeries, marks?: JudgeMarks): ChartSpec | null {
  return judgeRatesSpec(judgeRows(series.judge), undefined, marks)
}
