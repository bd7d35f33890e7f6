import {readOptionalText} from '../input-file.js'
import {parseValueJson} from './json-value.js'

/** files/wandb-summary.json as key → value JSON; empty when missing or unreadable (a warning says which). */
export function readSummaryFile(path: string, warnings: string[]): Map<string, string> {
  const out = new Map<string, string>()
  const text = readOptionalText(path, warnings)
  if (text === null) return out
  try {
    const obj = parseValueJson(text) as Record<string, unknown>
    if (obj && typeof obj === 'object') for (const [k, v] of Object.entries(obj)) out.set(k, JSON.stringify(v))
  } catch {
    /* an unreadable summary file is not needed: the log is the source of truth */
  }
  return out
}
