import {crc32} from 'node:zlib'

/**
 * zlib's CRC-32 without a view of the range. Most chunks are small, and for those a JavaScript table walk beats a
 * call into zlib, whose cost is the call and the view, not the bytes.
 */
export function crc32Range(bytes: Uint8Array, start: number, end: number, seed: number): number {
  if (end - start >= NATIVE_FROM) return crc32(bytes.subarray(start, end), seed)
  let crc = ~seed
  let i = start
  for (; i + 8 <= end; i += 8) {
    const a = (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24)) ^ crc
    crc =
      TABLE[1792 + (a & 255)] ^
      TABLE[1536 + ((a >>> 8) & 255)] ^
      TABLE[1280 + ((a >>> 16) & 255)] ^
      TABLE[1024 + (a >>> 24)] ^
      TABLE[768 + bytes[i + 4]] ^
      TABLE[512 + bytes[i + 5]] ^
      TABLE[256 + bytes[i + 6]] ^
      TABLE[bytes[i + 7]]
  }
  for (; i < end; i++) crc = TABLE[(crc ^ bytes[i]) & 255] ^ (crc >>> 8)
  return ~crc >>> 0
}

/** From this many bytes on, zlib's native CRC is cheaper than the table walk. */
const NATIVE_FROM = 512

/** Slice-by-8 tables: TABLE[k·256 + b] is the CRC of byte b followed by k zero bytes. */
export const TABLE = (() => {
  const t = new Int32Array(256 * 8)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    t[n] = c
  }
  for (let n = 0; n < 256; n++) {
    for (let k = 1; k < 8; k++) {
      const prev = t[(k - 1) * 256 + n]
      t[k * 256 + n] = (prev >>> 8) ^ t[prev & 255]
    }
  }
  return t
})()
