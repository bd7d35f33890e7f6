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

/** How a line writes a key, remembered by key: a run logs the same keys on every row. */
interface KeyText {
  /** `"key": ` */
  first: string
  /** `, "key": ` */
  next: string
  /** The last row that had the key: seen twice in one row, a key is repeated. */
  row: number
}

const keyTexts = new Map<string, KeyText>()
/** Keys remembered at most (a run with ever new keys must not grow the map without bound). */
const MAX_KEY_TEXTS = 1 << 16
let rowNo = 0

function keyText(key: string): KeyText {
  let text = keyTexts.get(key)
  if (text === undefined) {
    const first = `${pythonJsonString(key)}: `
    text = {first, next: `, ${first}`, row: 0}
    keyTexts.set(key, text)
  }
  return text
}

/** The row of a record, reused from line to line: its keys' texts and its values, in the order they are written. */
const rowKeys: KeyText[] = []
const rowNames: string[] = []
const rowValues: string[] = []

/** As `historyRow` has it: a repeated key keeps its first place and last value; `_step` is always present. */
function fillRow(rec: HistoryRecord): void {
  if (keyTexts.size >= MAX_KEY_TEXTS) keyTexts.clear()
  const row = ++rowNo
  rowKeys.length = rowNames.length = rowValues.length = 0
  let hasStep = false
  for (const it of rec.items) {
    const k = keyText(it.key)
    if (k.row === row) return fillRepeated(rec)
    k.row = row
    if (it.key === '_step') hasStep = true
    rowKeys.push(k)
    rowNames.push(it.key)
    rowValues.push(it.valueJson)
  }
  if (!hasStep) {
    rowKeys.push(keyText('_step'))
    rowNames.push('_step')
    rowValues.push(String(rec.step))
  }
}

/** A record that repeats a key (rare): its row as `historyRow` builds it. */
function fillRepeated(rec: HistoryRecord): void {
  rowKeys.length = rowNames.length = rowValues.length = 0
  for (const [key, value] of historyRow(rec)) {
    rowKeys.push(keyText(key))
    rowNames.push(key)
    rowValues.push(value)
  }
}

/** In pieces, so a line with one huge string value is never built whole. False when the filter leaves nothing. */
export function writeHistoryJsonLine(
  rec: HistoryRecord,
  keep: ((key: string) => boolean) | null,
  write: (text: string) => void,
): boolean {
  fillRow(rec)
  if (keep && !rowNames.some((k) => k !== '_step' && keep(k))) return false
  write('{')
  let first = true
  for (let i = 0; i < rowNames.length; i++) {
    if (keep && !keep(rowNames[i])) continue
    write(first ? rowKeys[i].first : rowKeys[i].next)
    first = false
    const value = rowValues[i]
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
