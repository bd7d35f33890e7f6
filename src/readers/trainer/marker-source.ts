/** A regex source matching any of `markers` literally; `latin1`: as their UTF-8 bytes read as Latin-1 characters. */
export function markerSource(markers: Iterable<string>, latin1: boolean): string {
  const parts: string[] = []
  for (const m of markers) {
    const text = latin1 ? Buffer.from(m, 'utf8').toString('latin1') : m
    let src = ''
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i)
      // escape everything but letters, digits, space and non-ASCII (\xNN / \uNNNN keep the pattern plain ASCII)
      if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 32) src += text[i]
      else if (c < 256) src += '\\x' + c.toString(16).padStart(2, '0')
      else src += '\\u' + c.toString(16).padStart(4, '0')
    }
    parts.push(src)
  }
  return parts.join('|')
}

/**
 * What a parser of `families` searches each line for: any family's marker, `\x1b` and `\r`. Null when a family declares
 * no markers (every line is then offered). One function, so a gate built away from the parser (another thread) is the
 * parser's own.
 */
export function gateMarkers(families: ReadonlyArray<{readonly markers?: readonly string[]}>): Set<string> | null {
  const markers = new Set<string>(['\x1b', '\r'])
  for (const f of families) {
    if (!f.markers) return null
    for (const m of f.markers) if (m.length > 0) markers.add(m)
  }
  return markers
}

/** The gate of `gateMarkers` on a line's UTF-8 bytes read as Latin-1; null when every line is offered. */
export function latin1Gate(families: ReadonlyArray<{readonly markers?: readonly string[]}>): RegExp | null {
  const markers = gateMarkers(families)
  return markers && new RegExp(markerSource(markers, true))
}
