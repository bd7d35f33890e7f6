/** The number a wandb `value_json` text holds: numbers (NaN and ±Infinity too), booleans as 1/0, else null. */
export function numericValue(json: string): number | null {
  const c = json.charCodeAt(0)
  // digits, '-', 'N'(aN), 'I'(nfinity)
  if ((c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x4e || c === 0x49) {
    const n = Number(json)
    if (!Number.isNaN(n) || json === 'NaN') return n
    return null
  }
  if (json === 'true') return 1
  if (json === 'false') return 0
  return null
}

/** Parses a `value_json` text into a JS value; NaN and ±Infinity become numbers; bad JSON becomes the raw text. */
export function parseValueJson(json: string): unknown {
  if (json === 'NaN') return Number.NaN
  if (json === 'Infinity') return Number.POSITIVE_INFINITY
  if (json === '-Infinity') return Number.NEGATIVE_INFINITY
  try {
    return JSON.parse(json)
  } catch {
    try {
      return JSON.parse(json.replace(/\bNaN\b|-?\bInfinity\b/g, 'null'))
    } catch {
      return json
    }
  }
}

/** `{"_type": "table-file", "path": …}`; null, cheaply, for any other value. */
export function mediaValue(json: string): {type: string; path: string | null} | null {
  if (json.charCodeAt(0) !== 0x7b || json.indexOf('"_type"') === -1) return null
  const v = parseValueJson(json) as {_type?: unknown; path?: unknown}
  if (!v || typeof v !== 'object' || typeof v._type !== 'string') return null
  return {type: v._type, path: typeof v.path === 'string' ? v.path : null}
}
