/** Human units for the terminal tables. */
export function formatBytes(n: number | null): string | null {
  if (n === null) return null
  if (n < 1024) return `${n} B`
  const units = ['KiB', 'MiB', 'GiB', 'TiB']
  let v = n / 1024
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`
}

export function formatDuration(s: number | null): string | null {
  if (s === null) return null
  if (s < 60) return `${Math.round(s)}s`
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s`
}

/** USD with enough digits for per-sample costs; a non-finite amount is unknown (null), as in --json. */
export function formatUsd(v: number | null): string | null {
  if (v === null || !Number.isFinite(v)) return null
  if (v === 0) return '$0'
  return Math.abs(v) >= 1 ? `$${v.toFixed(2)}` : `$${v.toPrecision(4)}`
}

export function formatPercent(v: number | null, digits = 1): string | null {
  return v === null || !Number.isFinite(v) ? null : `${v.toFixed(digits)}%`
}

/** An accuracy with its 95 % interval, `48.6 % (40.4–56.9)`; without a known interval just the percentage. */
export function formatAccuracy(v: number | null, low: number | null, high: number | null): string | null {
  if (v === null) return null
  if (low === null || high === null) return formatPercent(v)
  return `${v.toFixed(1)} % (${low.toFixed(1)}–${high.toFixed(1)})`
}
