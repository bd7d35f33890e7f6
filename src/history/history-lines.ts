import type {HistoryRecord} from '../readers/wandb/records.js'
import {historyRow} from '../readers/wandb/history-row.js'
import {pythonJsonFromText, pythonJsonString} from '../render/python-json.js'

/**
 * One history record as a jsonl line, exactly as wandb's Python reader would print it (`json.dumps` of the row dict):
 * every logged key (nested keys joined with `.`), `_step` always present, values decoded from their JSON,
 * NaN / Infinity / -Infinity as strings. Null when the filter leaves only `_step` for a record that logged nothing asked for.
 */
export function historyJsonLine(rec: HistoryRecord, keep: ((key: string) => boolean) | null): string | null {
  const parts: string[] = []
  let kept = 0
  for (const [key, value] of historyRow(rec)) {
    if (keep && !keep(key)) continue
    if (key !== '_step') kept++
    parts.push(`${pythonJsonString(key)}: ${formatValue(value)}`)
  }
  if (keep && kept === 0) return null
  return `{${parts.join(', ')}}`
}

function formatValue(valueJson: string): string {
  try {
    return pythonJsonFromText(valueJson)
  } catch {
    // Not JSON (never seen in real files): keep the text as a string rather than fail the whole export.
    return pythonJsonString(valueJson)
  }
}
