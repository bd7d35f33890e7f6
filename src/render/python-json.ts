/**
 * JSON as Python's `json.dumps` writes it, so runlog's jsonl matches wandb's Python reader byte for byte. Integers
 * are kept verbatim from their source text (no precision loss).
 */

/** Python's `repr(float)`: shortest round-trip digits, exponent form when the exponent is < -4 or >= 16. */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'NaN'
  if (x === Infinity) return 'Infinity'
  if (x === -Infinity) return '-Infinity'
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0'
  const exp = x.toExponential() // shortest round-trip digits, e.g. "1.5e-5"
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(exp)!
  const sign = m[1]
  const digits = m[2] + (m[3] ?? '')
  const e = Number(m[4])
  const decpt = e + 1
  if (decpt > -4 && decpt <= 16) {
    if (decpt <= 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`
    if (decpt >= digits.length) return `${sign}${digits}${'0'.repeat(decpt - digits.length)}.0`
    return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`
  }
  const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits
  const ae = Math.abs(e)
  return `${sign}${mant}e${e < 0 ? '-' : '+'}${ae < 10 ? '0' : ''}${ae}`
}

/** A string as Python's `json.dumps(s)` (ensure_ascii) writes it. */
export function pythonJsonString(s: string): string {
  let out = '"'
  let run = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0x20 && c <= 0x7e && c !== 0x22 && c !== 0x5c) continue
    out += s.slice(run, i)
    run = i + 1
    switch (c) {
      case 0x22:
        out += '\\"'
        break
      case 0x5c:
        out += '\\\\'
        break
      case 0x0a:
        out += '\\n'
        break
      case 0x0d:
        out += '\\r'
        break
      case 0x09:
        out += '\\t'
        break
      case 0x08:
        out += '\\b'
        break
      case 0x0c:
        out += '\\f'
        break
      default:
        out += '\\u' + c.toString(16).padStart(4, '0')
    }
  }
  return out + s.slice(run) + '"'
}

const STRING_SLICE = 1 << 16

/** In slices: escaped whole, a huge non-ASCII string grows several times over. A slice may split a surrogate pair. */
export function writePythonJsonString(s: string, write: (text: string) => void): void {
  if (s.length <= STRING_SLICE) {
    write(pythonJsonString(s))
    return
  }
  write('"')
  for (let i = 0; i < s.length; i += STRING_SLICE) write(pythonJsonString(s.slice(i, i + STRING_SLICE)).slice(1, -1))
  write('"')
}

const PLAIN_INT = /^-?\d{1,15}$/
const PLAIN_DECIMAL = /^-?\d+\.\d+$/

const NON_FINITE: Record<string, string> = {NaN: '"NaN"', Infinity: '"Infinity"', '-Infinity': '"-Infinity"'}

/**
 * A JSON number as a Python float in jsonl: `repr`, except that a value too large for a double (`1e999`, which
 * Python's json also reads as inf) comes out like a logged Infinity, as the string "Infinity" — never a bare word.
 */
function pythonJsonFloat(x: number): string {
  return Number.isFinite(x) ? pythonFloatRepr(x) : NON_FINITE[String(x)]
}

/** The bare words NaN, Infinity and -Infinity become strings. Throws on text that is not JSON. */
export function pythonJsonFromText(text: string): string {
  // Fast paths for the bulk of history values, plain numbers: a full re-format costs far more.
  if (PLAIN_INT.test(text)) return text === '-0' ? '0' : text
  if (PLAIN_DECIMAL.test(text)) {
    const x = Number(text)
    const ax = Math.abs(x)
    // Python and JS print a double the same way in fixed notation for 1e-4 <= |x| < 1e16.
    if (ax >= 1e-4 && ax < 1e16 && String(x) === text) return text
    return pythonJsonFloat(x)
  }
  const bare = NON_FINITE[text.trim()]
  if (bare) return bare
  const p = new Reformatter(text)
  const out = p.value()
  p.ws()
  if (p.i !== text.length) throw new SyntaxError(`unexpected text at ${p.i}`)
  return out
}

class Reformatter {
  i = 0
  constructor(private readonly s: string) {}

  ws(): void {
    const s = this.s
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i)
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.i++
      else break
    }
  }

  /** Iterative, so a value nested 100,000 deep cannot overflow the call stack. */
  value(): string {
    const s = this.s
    const out: string[] = []
    // Open containers, innermost last: '[' or '{'.
    const open: string[] = []
    // What comes next: a value, a key, the ':' after a key, or (after a value) ',' or a closing bracket.
    let next: 'value' | 'key' | 'colon' | 'after' = 'value'
    // Just after an opening bracket, where it may close at once.
    let first = false
    for (;;) {
      this.ws()
      if (next === 'after') {
        if (open.length === 0) break
        const c = s[this.i++]
        const top = open[open.length - 1]
        if (c === ',') {
          out.push(', ')
          next = top === '{' ? 'key' : 'value'
        } else if ((c === ']' && top === '[') || (c === '}' && top === '{')) {
          out.push(c)
          open.pop()
        } else throw new SyntaxError(`expected ',' or '${top === '[' ? ']' : '}'}' at ${this.i - 1}`)
        continue
      }
      if (next === 'colon') {
        if (s[this.i++] !== ':') throw new SyntaxError(`expected ':' at ${this.i - 1}`)
        out.push(': ')
        next = 'value'
        continue
      }
      const c = s[this.i]
      if (first && (c === ']' || c === '}')) {
        if (c !== (open[open.length - 1] === '[' ? ']' : '}')) throw new SyntaxError(`unexpected '${c}' at ${this.i}`)
        this.i++
        out.push(c)
        open.pop()
        first = false
        next = 'after'
        continue
      }
      first = false
      if (next === 'key') {
        if (c !== '"') throw new SyntaxError(`expected a key at ${this.i}`)
        out.push(pythonJsonString(this.string()))
        next = 'colon'
        continue
      }
      if (c === '{' || c === '[') {
        this.i++
        out.push(c)
        open.push(c)
        first = true
        next = c === '{' ? 'key' : 'value'
        continue
      }
      out.push(this.scalar())
      next = 'after'
    }
    return out.join('')
  }

  scalar(): string {
    const s = this.s
    if (s[this.i] === '"') return pythonJsonString(this.string())
    for (const word of ['true', 'false', 'null'])
      if (s.startsWith(word, this.i)) {
        this.i += word.length
        return word
      }
    for (const word of ['NaN', 'Infinity', '-Infinity'])
      if (s.startsWith(word, this.i)) {
        this.i += word.length
        return NON_FINITE[word]
      }
    return this.number()
  }

  string(): string {
    const s = this.s
    const start = this.i
    let j = start + 1
    let escaped = false
    while (j < s.length) {
      const c = s.charCodeAt(j)
      if (c === 0x5c) {
        escaped = true
        j += 2
        continue
      }
      if (c === 0x22) break
      j++
    }
    if (j >= s.length) throw new SyntaxError(`unterminated string at ${start}`)
    this.i = j + 1
    const raw = s.slice(start, j + 1)
    return escaped ? (JSON.parse(raw) as string) : raw.slice(1, -1)
  }

  number(): string {
    const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(this.s.slice(this.i, this.i + 400))
    if (!m) throw new SyntaxError(`unexpected character at ${this.i}`)
    this.i += m[0].length
    if (m[1] === undefined && m[2] === undefined) return m[0] === '-0' ? '0' : m[0]
    return pythonJsonFloat(Number(m[0]))
  }
}
