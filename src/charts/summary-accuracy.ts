/** `summarize`: accuracy per dataset over steps — a line per step for training, points for validation. */
import type {SummarySeries, StepDatasetPoint} from '../metrics/types.js'
import {ACCURACY_Y, STEP_X, known, runColor, type ChartSpec} from './common.js'

export interface AccuracyRow extends StepDatasetPoint {
  run?: string
}

/** The rows an accuracy chart draws: the series points as they are, without unknown ones. */
export function accuracyRows(points: StepDatasetPoint[], run?: string): AccuracyRow[] {
  const rows: AccuracyRow[] = []
  for (const p of points) {
    if (!known(p.accuracy) || !known(p.step)) continue
    const row: AccuracyRow = {
      step: p.step,
      split: p.split,
      source: p.source,
      correct: p.correct,
      count: p.count,
      accuracy: p.accuracy,
      ci_low: p.ci_low,
      ci_high: p.ci_high,
    }
    rows.push(run === undefined ? row : {run, ...row})
  }
  return rows
}

/** One panel per dataset; colour is the run with `runs`, else train vs val. */
export function accuracyFacetSpec(
  rows: AccuracyRow[],
  runs?: string[],
  opts: {bands?: boolean} = {},
): ChartSpec | null {
  if (rows.length === 0) return null
  const sources = [...new Set(rows.map((r) => r.source))]
  const byRun = runs !== undefined
  const color = byRun
    ? runColor(runs)
    : {
        field: 'split',
        type: 'nominal' as const,
        title: 'split',
        scale: {domain: ['train', 'val'], range: ['#4c78a8', '#e45756']},
      }
  const tooltip = [
    ...(byRun ? [{field: 'run', type: 'nominal' as const, title: 'run'}] : []),
    {field: 'source', type: 'nominal' as const, title: 'dataset'},
    {field: 'split', type: 'nominal' as const, title: 'split'},
    {field: 'step', type: 'quantitative' as const, title: 'step'},
    {field: 'accuracy', type: 'quantitative' as const, title: 'accuracy (%)', format: '.1f'},
    {field: 'correct', type: 'quantitative' as const, title: 'correct'},
    {field: 'count', type: 'quantitative' as const, title: 'samples'},
  ]
  return {
    title: {
      text: 'Accuracy per dataset',
      subtitle: byRun
        ? 'lines: training, one colour per run · points: validation'
        : 'line: training · points: validation',
    },
    data: {values: rows},
    facet: {field: 'source', type: 'nominal', title: null, sort: sources},
    columns: Math.min(3, sources.length),
    resolve: {axis: {x: 'independent', y: 'independent'}},
    spec: {
      width: 240,
      height: 150,
      layer: [
        {
          transform: [{filter: "datum.split === 'train'"}],
          mark: {type: 'line', strokeWidth: 1.5, invalid: 'break-paths-filter-domains'},
          encoding: {x: STEP_X, y: ACCURACY_Y, color, ...(byRun ? {detail: {field: 'run'}} : {}), tooltip},
        },
        {
          transform: [{filter: "datum.split === 'val'"}],
          mark: {type: 'point', filled: true, size: 60, stroke: 'black', strokeWidth: 0.6, opacity: 1},
          encoding: {x: STEP_X, y: ACCURACY_Y, color, tooltip},
        },
        // The 95 % Wilson interval of each point: a band along the training line, a bar through each validation point.
        ...(opts.bands
          ? [
              {
                transform: [{filter: "datum.split === 'train'"}],
                mark: {type: 'area' as const, opacity: 0.16, interpolate: 'linear' as const},
                encoding: {x: STEP_X, y: CI_Y, y2: {field: 'ci_high'}, color, tooltip: ciTooltip},
              },
              {
                transform: [{filter: "datum.split === 'val'"}],
                mark: {type: 'rule' as const, strokeWidth: 1.5},
                encoding: {x: STEP_X, y: CI_Y, y2: {field: 'ci_high'}, color, tooltip: ciTooltip},
              },
            ]
          : []),
      ],
    },
  }
}

const CI_Y = {...ACCURACY_Y, field: 'ci_low'}
const ciTooltip = [
  {field: 'source', type: 'nominal' as const, title: 'dataset'},
  {field: 'split', type: 'nominal' as const, title: 'split'},
  {field: 'step', type: 'quantitative' as const, title: 'step'},
  {field: 'ci_low', type: 'quantitative' as const, title: '95% interval from (%)', format: '.1f'},
  {field: 'ci_high', type: 'quantitative' as const, title: 'to (%)', format: '.1f'},
]

/** Accuracy per dataset over steps for one run, with the 95 % interval of each point as a band. */
export function summaryAccuracySpec(series: SummarySeries): ChartSpec | null {
  return accuracyFacetSpec(accuracyRows(series.datasets), undefined, {bands: true})
}
