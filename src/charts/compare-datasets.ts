/** `compare`: the table's per-dataset accuracy as grouped bars, one colour per run. */
import type {CompareResult} from '../metrics/types.js'
import {known, runColor, type ChartSpec} from './common.js'

export interface CompareDatasetRow {
  run: string
  dataset: string
  split: 'train' | 'val'
  source: string
  /** Percent, with its 95 % interval (null when the count is unknown). */
  accuracy: number
  ci_low: number | null
  ci_high: number | null
  count: number | null
  delta_pp: number | null
}

/** One row per dataset and run that has an accuracy (null: the run has no such dataset, so no bar). */
export function compareDatasetRows(compare: CompareResult, labels: string[]): CompareDatasetRow[] {
  const rows: CompareDatasetRow[] = []
  for (const d of compare.datasets) {
    d.accuracy.forEach((accuracy, i) => {
      if (!known(accuracy) || labels[i] === undefined) return
      rows.push({
        run: labels[i],
        dataset: `${d.source} (${d.split})`,
        split: d.split,
        source: d.source,
        accuracy,
        ci_low: d.ci_low[i] ?? null,
        ci_high: d.ci_high[i] ?? null,
        count: d.count[i] ?? null,
        delta_pp: d.delta_pp,
      })
    })
  }
  return rows
}

/** Horizontal grouped bars: a group per dataset and split, a bar per run, each with its 95 % interval as a line. */
export function compareDatasetsSpec(compare: CompareResult, labels: string[]): ChartSpec | null {
  const rows = compareDatasetRows(compare, labels)
  if (rows.length === 0) return null
  const order = [...new Set(rows.map((r) => r.dataset))]
  return {
    title: {text: 'Accuracy per dataset (whole run)', subtitle: 'one bar per run · line: 95% interval'},
    width: 520,
    height: {step: 12},
    data: {values: rows},
    encoding: {
      y: {field: 'dataset', type: 'nominal', title: 'dataset (split)', sort: order, axis: {labelLimit: 220}},
      yOffset: {field: 'run', type: 'nominal', scale: {domain: labels}},
      tooltip: [
        {field: 'run', type: 'nominal', title: 'run'},
        {field: 'dataset', type: 'nominal', title: 'dataset'},
        {field: 'accuracy', type: 'quantitative', title: 'accuracy (%)', format: '.1f'},
        {field: 'ci_low', type: 'quantitative', title: '95% interval from (%)', format: '.1f'},
        {field: 'ci_high', type: 'quantitative', title: 'to (%)', format: '.1f'},
        {field: 'count', type: 'quantitative', title: 'samples'},
        {field: 'delta_pp', type: 'quantitative', title: 'last − first (pp)', format: '+.1f'},
      ],
    },
    layer: [
      {
        mark: {type: 'bar'},
        encoding: {
          x: {field: 'accuracy', type: 'quantitative', title: 'accuracy (%)', scale: {domain: [0, 100]}},
          color: runColor(labels),
        },
      },
      {
        transform: [{filter: 'datum.ci_low !== null && datum.ci_high !== null'}],
        mark: {type: 'rule', color: '#333', strokeWidth: 1},
        encoding: {x: {field: 'ci_low', type: 'quantitative'}, x2: {field: 'ci_high'}},
      },
    ],
  }
}
