import {describe, expect, it, vi} from 'vitest'
import {formatColumn} from '../../src/render/column-format.js'

const intl = new Intl.NumberFormat('en-US', {maximumFractionDigits: 0})

describe('count columns', () => {
  it('group integers exactly as en-US Intl.NumberFormat does', () => {
    const values: number[] = [0, -0, 1, -1, 12, 999, 1000, -1000, 9999, 123456, 1234567, -987654321]
    for (let digits = 1; digits <= 22; digits++) {
      const n = Number('9'.repeat(digits))
      values.push(n, -n, n + 1, -(n + 1), 10 ** digits)
    }
    values.push(Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 2 ** 53, -(2 ** 53), 1e21, 1.5e300, -1e25)
    let seed = 7
    for (let i = 0; i < 3000; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      const magnitude = 10 ** (seed % 17)
      values.push(Math.round((seed / 2 ** 31 - 0.5) * magnitude))
    }
    expect(formatColumn('count', values)).toEqual(values.map((v) => intl.format(v)))
  })

  it('need no Intl.NumberFormat for safe integers (creating one costs ~11 ms of start-up)', async () => {
    vi.resetModules()
    const spy = vi.spyOn(Intl, 'NumberFormat')
    try {
      const fresh = await import('../../src/render/column-format.js')
      expect(fresh.formatColumn('count', [1, 1234, -5678901, null])).toEqual(['1', '1,234', '-5,678,901', '—'])
      expect(spy).not.toHaveBeenCalled()
    } finally {
      spy.mockRestore()
    }
  })
})
