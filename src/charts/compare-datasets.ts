/** `compare`: the table's per-dataset accuracy as grouped bars, one colour per run. */
import type {CompareResult} from '../metrics/types.js'
import {known, runColor, type ChartSpec} from './common.js'

export interface CompareDatasetRow {
  run: string
  dataset: string
  split: 'train' | 'val'
  source: string
  /** Percent. */
  accuracy: number
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
        count: d.count[i] ?? null,
        delta_pp: d.delta_pp,
      })
    })
  }
  return rows
}

/** Horizontal grouped bars: a group per dataset and split, a bar per run. */
export function compareDatasetsSpec(compare: CompareResult, labels: string[]): ChartSpec | null {
  const rows = compareDatasetRows(compare, labels)
  if (rows.length === 0) return null
  const order = [...new Set(rows.map((r) => r.dataset))]
  return {
    title: {text: 'Accuracy per dataset (whole run)', subtitle: 'one bar per run'},
    width: 520,
    height: {step: 12},
    data: {values: rows},
    mark: {type: 'bar'},
    encoding: {
      y: {field: 'dataset', type: 'nominal', title: 'dataset (split)', sort: order, axis: {labelLimit: 220}},
      yOffset: {field: 'run', type: 'nominal', scale: {domain: labels}},
      x: {field: 'accuracy', type: 'quantitative', title: 'accuracy (%)', scale: {domain: [0, 100]}},
      color: runColor(labels),
      tooltip: [
        {field: 'run', type: 'nominal', title: 'run'},
        {field: 'dataset', type: 'nominal', title: 'dataset'},
        {field: 'accuracy', type: 'quantitative', title: 'accuracy (%)', format: '.1f'},
        {field: 'count', type: 'quantitative', title: 'samples'},
        {field: 'delta_pp', type: 'quantitative', title: 'last − first (pp)', format: '+.1f'},
      ],
    },
  }
}
