import type {HistoryRecord} from '../readers/wandb/records.js'
import {historyRow} from '../readers/wandb/history-row.js'
import {pythonJsonFromText, pythonJsonString, writePythonJsonString} from '../render/python-json.js'

/**
 * Exactly as wandb's Python reader prints it (`json.dumps` of the row dict), NaN / Infinity as strings. Null when
 * the filter leaves only `_step` for a record that logged nothing asked for.
 */
export function historyJsonLine(rec: HistoryRecord, keep: ((key: string) => boolean) | null): string | null {
  const parts: string[] = []
  return writeHistoryJsonLine(rec, keep, (text) => parts.push(text)) ? parts.join('') : null
}

function formatValue(valueJson: string): string {
  try {
    return pythonJsonFromText(valueJson)
  } catch {
    // Not JSON (never seen in real files): keep the text as a string rather than fail the whole export.
    return pythonJsonString(valueJson)
  }
}

/** Values longer than this that are one string are written a slice at a time. */
const BIG_VALUE = 1 << 20

/** `"key": ` as written in a line, by key: a run logs the same keys on every row. */
const keyTexts = new Map<string, string>()
/** Keys remembered at most (a run with ever new keys must not grow the map without bound). */
const MAX_KEY_TEXTS = 1 << 16

function keyText(key: string): string {
  let text = keyTexts.get(key)
  if (text === undefined) {
    if (keyTexts.size >= MAX_KEY_TEXTS) keyTexts.clear()
    text = `${pythonJsonString(key)}: `
    keyTexts.set(key, text)
  }
  return text
}

/** In pieces, so a line with one huge string value is never built whole. False when the filter leaves nothing. */
export function writeHistoryJsonLine(
  rec: HistoryRecord,
  keep: ((key: string) => boolean) | null,
  write: (text: string) => void,
): boolean {
  const row = historyRow(rec)
  if (keep && ![...row.keys()].some((k) => k !== '_step' && keep(k))) return false
  write('{')
  let first = true
  for (const [key, value] of row) {
    if (keep && !keep(key)) continue
    if (!first) write(', ')
    first = false
    write(keyText(key))
    const big = value.length > BIG_VALUE && value.charCodeAt(0) === 0x22 ? bigString(value) : null
    if (big === null) write(formatValue(value))
    else writePythonJsonString(big, write)
  }
  write('}')
  return true
}

/** The string a `value_json` text stands for, or null when it is not one JSON string. */
function bigString(valueJson: string): string | null {
  try {
    const v: unknown = JSON.parse(valueJson)
    return typeof v === 'string' ? v : null
  } catch {
    return null
  }
}
