import {parseTrainerLogFile} from '../readers/trainer/trainer-parser.js'
import type {StepMetricRow} from '../readers/trainer/types.js'
import type {HistoryRecord, KeyValue} from '../readers/wandb/records.js'

/** Rows the parser holds before it hands finished steps over (only their per-step metrics are kept). */
const SETTLE_ROWS = 100_000

/**
 * One record per trainer step; a key printed twice at one step keeps its last value, as in wandb. Other events are
 * dropped as the parser settles them, so memory holds only the metrics.
 */
export async function trainerLogHistory(path: string): Promise<HistoryRecord[]> {
  const metrics: StepMetricRow[] = []
  const events = await parseTrainerLogFile(path, {
    settled: {rows: SETTLE_ROWS, onBatch: (batch) => void metrics.push(...batch.stepMetrics)},
  })
  metrics.push(...events.stepMetrics)
  const steps = new Map<number, Map<string, number>>()
  for (const m of metrics) {
    let values = steps.get(m.step)
    if (!values) steps.set(m.step, (values = new Map<string, number>()))
    values.set(m.key, m.value)
  }
  return [...steps.keys()]
    .sort((a, b) => a - b)
    .map((step) => {
      const items: KeyValue[] = []
      for (const [key, value] of steps.get(step)!) items.push({key, valueJson: valueJson(value)})
      items.push({key: '_step', valueJson: String(step)})
      return {step, items}
    })
}

/** A number as the JSON text a history item holds (NaN and ±Infinity as wandb writes them: bare words). */
function valueJson(v: number): string {
  if (Number.isNaN(v)) return 'NaN'
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity'
  // String(-0) is "0": a printed `-0.000` keeps its sign
  return Object.is(v, -0) ? '-0.0' : String(v)
}
