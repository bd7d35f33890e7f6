import type {HistoryRecord} from './records.js'

/**
 * One history record as an ordered map key → value_json text, the way wandb's reader sees it:
 * a repeated key keeps its first position and its last value, and `_step` is always present
 * (from the record's step when no `_step` item was logged).
 */
export function historyRow(rec: HistoryRecord): Map<string, string> {
  const row = new Map<string, string>()
  for (const item of rec.items) row.set(item.key, item.valueJson)
  if (!row.has('_step')) row.set('_step', String(rec.step))
  return row
}
