/** Decides a column's number precision and whether cells may be shortened (only `text` and `path`). */
export type ColumnKind =
  | 'name' // ids, dataset and metric names: never shortened
  | 'text' // free text (run names, projects): shortened in the middle
  | 'path' // shortened in the middle, keeping its last part
  | 'count' // integers, with thousands separators
  | 'number' // one number of decimals for the column, from its smallest value (3 significant digits)
  | 'usd' // `$`, with enough decimals to tell the column's values apart
  | 'percent' // percent values, one decimal
  | 'figure' // numbers of different quantities per row (each with 6 significant digits) or preformatted figures

export type Cell = string | number | boolean | null | undefined

/** Numeric kinds are right-aligned. */
export function isNumericKind(kind: ColumnKind): boolean {
  return kind !== 'name' && kind !== 'text' && kind !== 'path'
}

/** The column's cells as text for people (table and Markdown): null → "—". */
export function formatColumn(kind: ColumnKind, values: Cell[]): string[] {
  const numbers = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v))
  let format: (v: number) => string
  switch (kind) {
    case 'count':
      format = (v) => (Number.isInteger(v) ? countText(v) : formatFigure(v))
      break
    case 'number':
      format = fixed(numberDecimals(numbers))
      break
    case 'usd': {
      const digits = usdDecimals(numbers)
      format = (v) => (v < 0 ? `-$${grouped(-v, digits)}` : `$${grouped(v, digits)}`)
      break
    }
    case 'percent':
      format = (v) => `${v.toFixed(1)}%`
      break
    default:
      format = formatFigure
  }
  return values.map((v) => {
    if (v === null || v === undefined) return '—'
    // A non-finite figure is unknown, as --json's null (a logged NaN the report wants to show is passed as text).
    if (typeof v === 'number') return Number.isFinite(v) ? format(v) : '—'
    return String(v)
  })
}

/** A number on its own: integers whole, others with 6 significant digits. */
export function formatFigure(v: number): string {
  if (!Number.isFinite(v) || Number.isInteger(v)) return String(v)
  return String(Number(v.toPrecision(6)))
}

/** An integer as en-US Intl.NumberFormat groups it; by hand when safe, as creating one costs ~11 ms of start-up. */
function countText(v: number): string {
  if (Number.isSafeInteger(v) && !Object.is(v, -0)) return String(v).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return (count ??= new Intl.NumberFormat('en-US', {maximumFractionDigits: 0})).format(v)
}
let count: Intl.NumberFormat | undefined

function fixed(decimals: number): (v: number) => string {
  return (v) => grouped(v, decimals)
}

function grouped(v: number, decimals: number): string {
  return new Intl.NumberFormat('en-US', {minimumFractionDigits: decimals, maximumFractionDigits: decimals}).format(v)
}

/** Decimals that give the smallest non-zero value 3 significant digits (0 for a column of integers; at most 6). */
function numberDecimals(values: number[]): number {
  if (values.every(Number.isInteger)) return 0
  const smallest = Math.min(...values.filter((v) => v !== 0).map(Math.abs))
  if (!Number.isFinite(smallest)) return 0
  return clamp(2 - Math.floor(Math.log10(smallest)), 0, 6)
}

/**
 * Decimals for money: at least 2 and enough for 3 significant digits of the smallest non-zero value, then more (up to
 * 4 significant digits of it) while two different values would still print the same.
 */
function usdDecimals(values: number[]): number {
  const nonzero = values.filter((v) => v !== 0).map(Math.abs)
  if (nonzero.length === 0) return 2
  const magnitude = Math.floor(Math.log10(Math.min(...nonzero)))
  let decimals = clamp(2 - magnitude, 2, 10)
  const most = clamp(3 - magnitude, 2, 10)
  const distinct = new Set(values).size
  while (decimals < most && new Set(values.map((v) => v.toFixed(decimals))).size < distinct) decimals++
  return decimals
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v))
}
