/**
 * Left raw by JSON.stringify, yet a terminal or editor may act on them (U+009B is an 8-bit CSI). In JSON text they
 * occur only inside strings, where `\uXXXX` means the same character.
 */
const RAW_IN_JSON = /[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff]/g

/** `JSON.stringify(value, null, indent)` with those characters escaped: the same JSON values, nothing raw. */
export function jsonText(value: unknown, indent?: number): string {
  const text = JSON.stringify(value, null, indent)
  if (text === undefined) return 'null'
  RAW_IN_JSON.lastIndex = 0
  if (!RAW_IN_JSON.test(text)) return text
  return text.replace(RAW_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}
