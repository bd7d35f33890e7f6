import type {HistoryRecord} from '../readers/wandb/records.js'
import {historyRow} from '../readers/wandb/history-row.js'
import {parseValueJson} from '../readers/run/json-value.js'

/** History as a wide table: one row per record, one column per key (in order of first appearance). */
export interface WideHistory {
  columns: string[]
  rows: Array<Map<string, unknown>>
}

export class WideHistoryBuilder {
  private readonly columns = new Map<string, true>([['_step', true]])
  private readonly rows: Array<Map<string, unknown>> = []

  constructor(private readonly keep: ((key: string) => boolean) | null) {}

  add(rec: HistoryRecord): void {
    const row = new Map<string, unknown>()
    let kept = 0
    for (const [key, value] of historyRow(rec)) {
      if (this.keep && !this.keep(key)) continue
      if (key !== '_step') kept++
      this.columns.set(key, true)
      row.set(key, parseValueJson(value))
    }
    if (!this.keep || kept > 0) this.rows.push(row)
  }

  finish(): WideHistory {
    return {columns: [...this.columns.keys()], rows: this.rows}
  }
}

/** A cell of the wide table as text: objects as compact JSON, non-finite numbers by name. */
export function cellText(v: unknown): string | null {
  if (v === undefined || v === null) return null
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : String(v)
  if (typeof v === 'object') return JSON.stringify(v)
  return String(v)
}
