/**
 * The 95 % Wilson score interval computed another way than runlog's SQL: as the two roots of
 * (p̂ − p)² = z²·p(1 − p)/n, i.e. p²(1 + z²/n) − p(2p̂ + z²/n) + p̂² = 0. Fractions.
 */
export const Z95 = 1.959963984540054

export function wilsonInterval(k: number, n: number, z = Z95): [number, number] {
  const p = k / n
  const a = 1 + (z * z) / n
  const b = -(2 * p + (z * z) / n)
  const c = p * p
  const root = Math.sqrt(Math.max(0, b * b - 4 * a * c))
  return [(-b - root) / (2 * a), (-b + root) / (2 * a)]
}

/** In percent, as runlog reports accuracy. */
export function wilsonPercent(k: number, n: number): {ci_low: number; ci_high: number} {
  const [lo, hi] = wilsonInterval(k, n)
  return {ci_low: 100 * lo, ci_high: 100 * hi}
}
