import type {HistoryRecord} from './records.js'

/** As wandb's reader sees it: a repeated key keeps its first position and last value; `_step` is always present. */
export function historyRow(rec: HistoryRecord): Map<string, string> {
  const row = new Map<string, string>()
  for (const item of rec.items) row.set(item.key, item.valueJson)
  if (!row.has('_step')) row.set('_step', String(rec.step))
  return row
}
