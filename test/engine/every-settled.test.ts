import {describe, expect, it} from 'vitest'
import {everySettled} from '../../src/engine/every-settled.js'

const after = <T>(ms: number, value: () => T) => new Promise<void>((resolve) => setTimeout(resolve, ms)).then(value)

describe('everySettled', () => {
  it('resolves once every promise has', async () => {
    const done: number[] = []
    await everySettled([after(20, () => done.push(1)), after(5, () => done.push(2))])
    expect(done.sort()).toEqual([1, 2])
  })

  it('throws the first failure, only once the slower ones are done too', async () => {
    let slowDone = false
    const slow = after(30, () => (slowDone = true))
    const failing = after(5, () => {
      throw new Error('first')
    })
    const later = after(10, () => {
      throw new Error('second')
    })
    await expect(everySettled([slow, failing, later])).rejects.toThrow('first')
    expect(slowDone).toBe(true)
  })
})
