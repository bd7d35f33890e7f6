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
