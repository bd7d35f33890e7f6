/** `--keys a,b,train/*`: exact keys or `*` globs; `_step` is always kept. Null = keep all. */
export function keyFilter(spec: string | undefined): ((key: string) => boolean) | null {
  if (!spec) return null
  const exact = new Set<string>()
  const globs: RegExp[] = []
  for (const raw of spec.split(',')) {
    const k = raw.trim()
    if (!k) continue
    if (k.includes('*')) globs.push(new RegExp(`^${k.split('*').map(escapeRegex).join('.*')}$`))
    else exact.add(k)
  }
  return (key) => key === '_step' || exact.has(key) || globs.some((g) => g.test(key))
}

function escapeRegex(s: string): string {
  return s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')
}
