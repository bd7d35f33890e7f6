import {expect} from 'vitest'

/**
 * Deep equality where numbers may differ in their last bits: DuckDB sums floating-point values in parallel, so the
 * order of additions (and the last bit of a sum) can change from one run to the next.
 */
export function expectDeepClose(actual: unknown, expected: unknown, path = '$'): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    const tol = 1e-12 * Math.max(1, Math.abs(expected))
    expect(Math.abs(actual - expected), `${path}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tol)
    return
  }
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), path).toBe(true)
    expect((actual as unknown[]).length, `${path}.length`).toBe(expected.length)
    expected.forEach((e, i) => expectDeepClose((actual as unknown[])[i], e, `${path}[${i}]`))
    return
  }
  if (expected && typeof expected === 'object') {
    expect(actual && typeof actual === 'object', path).toBeTruthy()
    expect(Object.keys(actual as object), `${path} keys`).toEqual(Object.keys(expected))
    for (const [k, v] of Object.entries(expected))
      expectDeepClose((actual as Record<string, unknown>)[k], v, `${path}.${k}`)
    return
  }
  expect(actual, path).toEqual(expected)
}
