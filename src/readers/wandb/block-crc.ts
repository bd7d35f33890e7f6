import {crc32} from 'node:zlib'
import {TABLE} from './chunk-crc.js'

/*
 * All the chunks of a block checked with one zlib CRC-32 pass over the block instead of one checksum per chunk (most
 * chunks are ~130 bytes, where the per-call cost dominates). A chunk's checksum covers its type byte and payload
 * (`M`); chunks sit as [crc:4][len:2][M]. Before the pass, the 4 checksum bytes of each chunk after the first are
 * overwritten (in our own read buffer, restored afterwards) with the value that takes the CRC register from the state
 * a sound previous M leaves (~its stored checksum) to the initial state (~0) once the 2 length bytes are folded in.
 * The pass then ends on the last chunk's stored checksum exactly when no chunk's own check fails, or when the errors
 * of two or more failing chunks cancel out (a 2^-32 chance for random damage). A single failing chunk always shows:
 * its register error goes through bijective steps only. On a mismatch the caller checks chunk by chunk, as before.
 */

/** Bytes of a chunk header (checksum, length, type); the checksum covers the type byte on. */
const HEADER = 7
/** The most chunks a 32 KiB block can hold (every one empty). */
const MAX_CHUNKS = Math.ceil(32768 / HEADER)

/** The register after one zero byte: reflected CRC-32's step, linear over GF(2). */
export function zeroStep(r: number): number {
  return (TABLE[r & 255] ^ (r >>> 8)) >>> 0
}

/** Which byte b has TABLE[b] with top byte t: the top bytes of the table are a permutation, so `zeroStep` inverts. */
const BY_TOP = (() => {
  const t = new Uint8Array(256)
  for (let b = 0; b < 256; b++) t[TABLE[b] >>> 24] = b
  return t
})()

/** The register before one zero byte that leaves `z`. */
export function zeroStepBack(z: number): number {
  const b = BY_TOP[z >>> 24]
  return (((z ^ TABLE[b]) << 8) | b) >>> 0
}

function stepsBack(z: number, n: number): number {
  for (let i = 0; i < n; i++) z = zeroStepBack(z)
  return z
}

/** The register value the 4 checksum bytes must meet (xor) so that 6 header bytes end at ~0, lengths aside. */
const TO_INIT = stepsBack(0xffffffff, 6)
/** The part a 16-bit length (low, high byte) adds to that value: 4 steps back of it, linear, so two tables. */
const LEN_LO = Int32Array.from({length: 256}, (_, b) => stepsBack(b, 4))
const LEN_HI = Int32Array.from({length: 256}, (_, b) => stepsBack(b << 8, 4))

const starts = new Int32Array(MAX_CHUNKS)
const sums = new Int32Array(MAX_CHUNKS)

/**
 * Checks every chunk of `bytes[blockOff, blockOff + blockLen)` from block position `pos` on, up to the first one that
 * is not structurally sound (bad type, zero header, overrun, trailer), with one CRC-32 pass. Returns the block
 * position up to which every chunk's checksum is known to match, or `pos` when one may not (then check each chunk).
 * The bytes are the same on return.
 */
export function verifiedEnd(bytes: Uint8Array, blockOff: number, blockLen: number, pos: number): number {
  let n = 0
  let p = pos
  while (blockLen - p >= HEADER) {
    const h = blockOff + p
    const length = bytes[h + 4] | (bytes[h + 5] << 8)
    const type = bytes[h + 6]
    if (type < 1 || type > 4 || p + HEADER + length > blockLen) break
    starts[n] = h
    sums[n] = bytes[h] | (bytes[h + 1] << 8) | (bytes[h + 2] << 16) | (bytes[h + 3] << 24)
    if (n > 0) {
      // Its checksum is saved: the slot can take the value that restarts the register after the previous chunk.
      const w = ~sums[n - 1] ^ TO_INIT ^ LEN_LO[length & 255] ^ LEN_HI[length >>> 8]
      bytes[h] = w
      bytes[h + 1] = w >>> 8
      bytes[h + 2] = w >>> 16
      bytes[h + 3] = w >>> 24
    }
    n++
    p += HEADER + length
  }
  if (n === 0) return pos
  const crc = crc32(bytes.subarray(starts[0] + HEADER - 1, blockOff + p), 0)
  for (let i = 1; i < n; i++) {
    const h = starts[i]
    const s = sums[i]
    bytes[h] = s
    bytes[h + 1] = s >>> 8
    bytes[h + 2] = s >>> 16
    bytes[h + 3] = s >>> 24
  }
  return crc === sums[n - 1] >>> 0 ? p : pos
}
