/** Formatting figures for headline tables; null (unknown) shows as an em dash, never as 0. */
import {known} from './common.js'

export const UNKNOWN = '—'

export function fmtPercent(v: number | null | undefined, digits = 1): string {
  return known(v) ? `${v.toFixed(digits)}%` : UNKNOWN
}

/** A fraction 0–1 shown as percent. */
export function fmtRate(v: number | null | undefined, digits = 1): string {
  return known(v) ? `${(v * 100).toFixed(digits)}%` : UNKNOWN
}

export function fmtUsd(v: number | null | undefined): string {
  if (!known(v)) return UNKNOWN
  const a = Math.abs(v)
  const digits = a >= 100 ? 2 : a >= 1 ? 2 : a >= 0.01 ? 4 : 6
  return `$${v.toLocaleString('en-US', {minimumFractionDigits: digits, maximumFractionDigits: digits})}`
}

export function fmtCount(v: number | null | undefined): string {
  return known(v) ? v.toLocaleString('en-US') : UNKNOWN
}
