import {crc32} from 'node:zlib'
import {describe, expect, it} from 'vitest'
import {crc32Range} from '../../../src/readers/wandb/chunk-crc.js'

describe('crc32Range', () => {
  // Deterministic bytes of every value, at lengths around the 8-byte stride and the native cut-over.
  const bytes = new Uint8Array(4096)
  let x = 12345
  for (let i = 0; i < bytes.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0
    bytes[i] = x >>> 24
  }
  const lengths = [0, 1, 7, 8, 9, 15, 16, 17, 63, 127, 128, 511, 512, 513, 1000, 4000]
  const seeds = [0, crc32(Buffer.of(1)), crc32(Buffer.of(4)), 0xffffffff]

  it('matches zlib for every length, offset and seed', () => {
    for (const len of lengths)
      for (const start of [0, 1, 3, 5])
        for (const seed of seeds) {
          const want = crc32(bytes.subarray(start, start + len), seed)
          expect(crc32Range(bytes, start, start + len, seed), `len ${len} at ${start} seed ${seed}`).toBe(want)
        }
  })

  it('reads only the range it is given (bytes around it do not count)', () => {
    const a = Uint8Array.of(9, 9, 1, 2, 3, 9)
    expect(crc32Range(a, 2, 5, 0)).toBe(crc32(Uint8Array.of(1, 2, 3)))
  })
})
