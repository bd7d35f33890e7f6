import {showControls} from './controls.js'

/** A plain finite number written as text (`-11.9`, `1e-05`): a spreadsheet reads it as a number, never a formula. */
const PLAIN_NUMBER = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/

/** First characters that make a spreadsheet evaluate a cell (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/

/**
 * One RFC 4180 CSV field. Numbers stay numbers (a non-finite one is unknown: an empty field, as `--json` gives null);
 * text that would start a formula gets a leading `'` as OWASP recommends (a plain number such as `-11.9` is kept);
 * control characters are shown visibly; fields with `,`, `"` or line breaks are quoted.
 */
export function csvField(v: string | number | boolean | bigint | null | undefined): string {
  if (v === null || v === undefined) return ''
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : ''
  if (typeof v !== 'string') return String(v)
  const text = showControls(FORMULA_START.test(v) && !PLAIN_NUMBER.test(v) ? `'${v}` : v)
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}
