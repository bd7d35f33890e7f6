import type {HistoryRecord} from '../readers/wandb/records.js'
import {historyRow} from '../readers/wandb/history-row.js'
import {parseValueJson} from '../readers/run/json-value.js'

/** Cells hold the logged `value_json` text, turned into display text only when printed (`cellText`). */
export interface WideHistory {
  columns: string[]
  rows: Array<Map<string, string>>
}

export class WideHistoryBuilder {
  private readonly columns = new Map<string, true>([['_step', true]])
  private readonly rows: Array<Map<string, string>> = []

  constructor(private readonly keep: ((key: string) => boolean) | null) {}

  add(rec: HistoryRecord): void {
    const row = new Map<string, string>()
    let kept = 0
    for (const [key, value] of historyRow(rec)) {
      if (this.keep && !this.keep(key)) continue
      if (key !== '_step') kept++
      this.columns.set(key, true)
      row.set(key, value)
    }
    if (!this.keep || kept > 0) this.rows.push(row)
  }

  finish(): WideHistory {
    return {columns: [...this.columns.keys()], rows: this.rows}
  }
}

/** Objects as compact JSON, non-finite numbers by name; `maxChars` cuts, saying how much was left out. */
export function cellText(valueJson: string | undefined, maxChars = Infinity): string | null {
  if (valueJson === undefined) return null
  const text = valueText(valueJson)
  if (text === null || text.length <= maxChars) return text
  return `${text.slice(0, maxChars)}… (${(text.length - maxChars).toLocaleString('en-US')} more characters)`
}

function valueText(valueJson: string): string | null {
  const v = parseValueJson(valueJson)
  if (v === undefined || v === null) return null
  if (typeof v === 'number') return String(v)
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a primitive here: objects are handled below
  if (typeof v !== 'object') return String(v)
  try {
    return JSON.stringify(v)
  } catch (error) {
    // Nested too deep for JSON.stringify's recursion: the logged text, without its blanks, reads the same.
    if (error instanceof RangeError) return compactJson(valueJson)
    throw error
  }
}

/** JSON text without the blanks between its tokens (strings kept as they are). */
export function compactJson(text: string): string {
  let out = ''
  let run = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++
      else if (c === 0x22) inString = false
    } else if (c === 0x22) inString = true
    else if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
      out += text.slice(run, i)
      run = i + 1
    }
  }
  return out + text.slice(run)
}
