/** Checks on rendered SVG and PNG output, without an XML or image library. */
import {inflateSync} from 'node:zlib'

/**
 * Whether an SVG document is well-formed XML as far as elements go: every tag closes in order, attributes are
 * quoted, and there is a single <svg> root. Returns the problems found (empty when fine).
 */
export function svgProblems(svg: string): string[] {
  const problems: string[] = []
  const body = svg.replace(/^<\?xml[^?]*\?>\s*/, '')
  if (!body.startsWith('<svg')) problems.push('does not start with <svg')
  const stack: string[] = []
  const tag =
    /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<[^>]*>/g
  let m: RegExpExecArray | null
  let roots = 0
  while ((m = tag.exec(body))) {
    if (m[0].startsWith('<!--') || m[0].startsWith('<![CDATA[')) continue
    if (m[2] === undefined) {
      problems.push(`malformed tag ${m[0].slice(0, 80)}`)
      continue
    }
    const [, closing, name, , selfClosing] = m
    if (closing) {
      const open = stack.pop()
      if (open !== name) problems.push(`</${name}> closes <${open}>`)
    } else {
      if (stack.length === 0) roots++
      if (!selfClosing) stack.push(name)
    }
  }
  if (stack.length) problems.push(`unclosed: ${stack.join(' > ')}`)
  if (roots !== 1) problems.push(`${roots} root elements`)
  const text = body.replace(tag, '')
  if (/[<>]/.test(text)) problems.push('stray < or > in text')
  if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(text)) problems.push('unescaped & in text')
  return problems
}

/** Drawn marks per Vega mark type: the number of shapes with geometry in each `mark-TYPE` group. */
export function drawnMarks(svg: string): Record<string, number> {
  const counts: Record<string, number> = {}
  const group = /<g class="mark-(\w+) role-mark[^"]*"[^>]*>([\s\S]*?)<\/g>/g
  let m: RegExpExecArray | null
  while ((m = group.exec(svg))) {
    const [, type, inner] = m
    const shapes = inner.match(/<path[^>]*\sd="M[^"]+"|<text[^>]*>[^<]+<\/text>|<line[^>]*>|<rect[^>]*>/g) ?? []
    counts[type] = (counts[type] ?? 0) + shapes.length
  }
  return counts
}

/** Text drawn in the SVG (titles, axis titles, labels, legends). */
export function svgTexts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) =>
    m[1]
      .replace(/&amp;/g, '&')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'"),
  )
}

export interface PngInfo {
  width: number
  height: number
  bitDepth: number
  colorType: number
  /** How many distinct values the decompressed image data holds (a blank picture has very few). */
  distinctBytes: number
  /** Fraction of decompressed bytes that are not the most common one. */
  variedFraction: number
}

/** Reads a PNG: checks its signature and chunk CRCs' presence, inflates IDAT. Throws when it is not a PNG. */
export function readPng(png: Buffer): PngInfo {
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  if (!png.subarray(0, 8).equals(sig)) throw new Error('not a PNG: bad signature')
  let off = 8
  let ihdr: Buffer | null = null
  const idat: Buffer[] = []
  let ended = false
  while (off + 8 <= png.length) {
    const len = png.readUInt32BE(off)
    const type = png.toString('ascii', off + 4, off + 8)
    const data = png.subarray(off + 8, off + 8 + len)
    if (type === 'IHDR') ihdr = data
    if (type === 'IDAT') idat.push(data)
    off += 12 + len
    if (type === 'IEND') {
      ended = true
      break
    }
  }
  if (!ihdr || !ended || idat.length === 0) throw new Error('not a PNG: missing IHDR, IDAT or IEND')
  const raw = inflateSync(Buffer.concat(idat))
  const counts = new Map<number, number>()
  for (const b of raw) counts.set(b, (counts.get(b) ?? 0) + 1)
  const top = Math.max(...counts.values())
  return {
    width: ihdr.readUInt32BE(0),
    height: ihdr.readUInt32BE(4),
    bitDepth: ihdr[8],
    colorType: ihdr[9],
    distinctBytes: counts.size,
    variedFraction: 1 - top / raw.length,
  }
}

/** Characters XML 1.0 forbids (outside its Char production), raw or as character references. */
const NON_XML_CHAR = new RegExp(
  '[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\ufffe\\uffff]' +
    '|[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]',
)
const CHAR_REF = /&#(x[0-9a-fA-F]+|\d+);/g

/**
 * A strict well-formedness check: the structure (`svgProblems`) plus the characters XML 1.0 allows, in text and in
 * character references (`&#27;` is as invalid as a raw ESC).
 */
export function xmlProblems(svg: string): string[] {
  const problems = svgProblems(svg)
  const raw = NON_XML_CHAR.exec(svg)
  if (raw) problems.push(`character U+${raw[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${raw.index}`)
  for (const m of svg.matchAll(CHAR_REF)) {
    const code = m[1].startsWith('x') ? parseInt(m[1].slice(1), 16) : Number(m[1])
    const forbidden = code > 0x10ffff || NON_XML_CHAR.test(String.fromCodePoint(code))
    if (forbidden) problems.push(`reference ${m[0]} to a character XML forbids`)
  }
  return problems
}
