/**
 * Text from a log is shown as data, never acting on a terminal, spreadsheet, browser or XML parser: C0 and DEL become
 * control pictures (`\x1b` → `␛`), C1, bidi and separators `\uXXXX` text.
 */

export const CONTROL_CHARS = /[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff]/g

function visible(c: string): string {
  const code = c.charCodeAt(0)
  if (code < 0x20) return String.fromCharCode(0x2400 + code)
  if (code === 0x7f) return '\u2421'
  return `\\u${code.toString(16).padStart(4, '0')}`
}

export function showControls(s: string): string {
  CONTROL_CHARS.lastIndex = 0
  return CONTROL_CHARS.test(s) ? s.replace(CONTROL_CHARS, visible) : s
}

/** Every string, keys included; values without control characters come back unchanged. */
export function showControlsDeep<T>(value: T): T {
  if (typeof value === 'string') return showControls(value) as T
  if (Array.isArray(value)) return (value as unknown[]).map((v) => showControlsDeep(v)) as T
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[showControls(k)] = showControlsDeep(v)
    return out as T
  }
  return value
}
