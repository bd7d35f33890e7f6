/** Nothing here computes a metric: charts draw the figures the queries returned. */
import type {TopLevelSpec} from 'vega-lite'
import type {RunInfo} from '../metrics/types.js'

type VConcatTop = Extract<TopLevelSpec, {vconcat: unknown}>
/** One chart (unit, layer, facet or concat) that a composer places in its top-level spec. */
export type ChartSpec = VConcatTop['vconcat'][number]

export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json'

/** Fonts: DejaVu Sans where it exists (the PNG renderer maps it), the browser's sans-serif elsewhere. */
export const FONT = 'DejaVu Sans, Helvetica, Arial, sans-serif'

export const CHART_CONFIG = {
  font: FONT,
  background: 'white',
  padding: 12,
  view: {stroke: '#ddd'},
  title: {fontSize: 15, anchor: 'start' as const, subtitleFontSize: 11, subtitleColor: '#555', offset: 10},
  axis: {labelFontSize: 11, titleFontSize: 12, gridColor: '#eee'},
  legend: {labelFontSize: 11, titleFontSize: 12, labelLimit: 260, symbolSize: 90},
  header: {labelFontSize: 12, labelFontWeight: 'bold' as const, titleFontSize: 12},
  concat: {spacing: 36},
  range: {category: {scheme: 'tableau10'}},
}

export const STEP_X = {
  field: 'step',
  type: 'quantitative' as const,
  title: 'step',
  scale: {zero: false, nice: false},
  axis: {format: 'd', tickMinStep: 1},
}

/** y: accuracy in percent, always 0–100 so panels compare. */
export const ACCURACY_Y = {
  field: 'accuracy',
  type: 'quantitative' as const,
  title: 'accuracy (%)',
  scale: {domain: [0, 100]},
}

/** One scale everywhere in a spec, so the runs share one legend, on top (full run names can be long). */
export function runColor(runs: string[]) {
  return {
    field: 'run',
    type: 'nominal' as const,
    title: 'run',
    scale: {domain: runs},
    legend: {orient: 'top' as const, direction: 'vertical' as const, labelLimit: 0, titleOrient: 'left' as const},
  }
}

/** A d3 format for US dollars that keeps small amounts readable. */
export function usdFormat(values: Array<number | null | undefined>): string {
  let max = 0
  for (const v of values) if (v != null && Number.isFinite(v)) max = Math.max(max, Math.abs(v))
  if (max >= 100) return '$,.0f'
  if (max >= 0.1) return '$,.2f'
  if (max >= 0.01) return '$,.3f'
  return '$,.5f'
}

/** Whether a figure is known (null and non-finite numbers are unknown). */
export function known(v: number | null | undefined): v is number {
  return v != null && Number.isFinite(v)
}

/** A repeated name gets its id (or position) appended, so each run keeps its own colour. */
export function runLabels(runs: Array<Pick<RunInfo, 'name' | 'id'>>): string[] {
  const base = runs.map((r, i) => r.name ?? r.id ?? `run ${i + 1}`)
  const counts = new Map<string, number>()
  for (const b of base) counts.set(b, (counts.get(b) ?? 0) + 1)
  const seen = new Set<string>()
  return base.map((b, i) => {
    let label = b
    if ((counts.get(b) ?? 0) > 1) label = runs[i].id && runs[i].id !== b ? `${b} (${runs[i].id})` : `${b} #${i + 1}`
    while (seen.has(label)) label = `${label}'`
    seen.add(label)
    return label
  })
}

export function chartTitle(text: string, subtitle?: string | string[]) {
  return subtitle === undefined ? {text} : {text, subtitle}
}

export type LayerItem = Extract<ChartSpec, {layer: unknown}>['layer'][number]
