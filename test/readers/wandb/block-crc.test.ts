/**
 * The one-pass check of a block's chunks (`verifiedEnd`) against a chunk-by-chunk reference with zlib, on random
 * blocks and on every single-bit flip of one; then the scan of a real run damaged in each chunk of a block in turn.
 */
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {crc32} from 'node:zlib'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {verifiedEnd, zeroStep, zeroStepBack} from '../../../src/readers/wandb/block-crc.js'
import {scanRecords} from '../../../src/readers/wandb/log-container.js'
import {
  BLOCK,
  CLEAN_RUN,
  cleanupTempDirs,
  tempDir,
  type WalkedRecord,
  walkIntact,
} from '../../support/container-checks.js'

/** Deterministic pseudo-random numbers (the cases must be the same on every run). */
function random(seed: number): () => number {
  let x = seed >>> 0
  return () => {
    x = (x * 1103515245 + 12345) >>> 0
    return x >>> 8
  }
}

function chunk(type: number, payload: Uint8Array): Buffer {
  const b = Buffer.alloc(7 + payload.length)
  b.writeUInt32LE(crc32(Buffer.concat([Buffer.of(type), payload])), 0)
  b.writeUInt16LE(payload.length, 4)
  b[6] = type
  b.set(payload, 7)
  return b
}

/** A run of sound chunks of random types and lengths (empty ones included) whose total stays under `max` bytes. */
function chunks(rand: () => number, count: number, maxLen: number, max = BLOCK): Buffer {
  const parts: Buffer[] = []
  let total = 0
  for (let i = 0; i < count; i++) {
    const len = rand() % 5 === 0 ? 0 : rand() % maxLen
    if (total + 7 + len > max) break
    const payload = Uint8Array.from({length: len}, () => rand() & 255)
    parts.push(chunk(1 + (rand() % 4), payload))
    total += 7 + len
  }
  return Buffer.concat(parts)
}

/**
 * The reference, one chunk at a time: the end of the structurally sound run of chunks from `pos`, if every one of
 * them passes its own checksum; else `pos`.
 */
function reference(bytes: Uint8Array, blockLen: number, pos: number): number {
  let p = pos
  let allGood = true
  while (blockLen - p >= 7) {
    const length = bytes[p + 4] | (bytes[p + 5] << 8)
    const type = bytes[p + 6]
    if (type < 1 || type > 4 || p + 7 + length > blockLen) break
    const stored = (bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16) | (bytes[p + 3] << 24)) >>> 0
    if (crc32(bytes.subarray(p + 6, p + 7 + length)) !== stored) allGood = false
    p += 7 + length
  }
  return allGood ? p : pos
}

/** `verifiedEnd` over a copy, checking it leaves the bytes as they were. */
function verified(block: Buffer, pos: number, blockLen = block.length, blockOff = 0): number {
  const before = Buffer.from(block)
  const end = verifiedEnd(block, blockOff, blockLen, pos)
  expect(block.equals(before), 'the bytes are restored').toBe(true)
  return end
}

describe('the register steps', () => {
  it('one zero byte back undoes one zero byte on', () => {
    const rand = random(7)
    for (const r of [0, 1, 0x80000000, 0xffffffff, ...Array.from({length: 1000}, () => (rand() * 977) >>> 0)]) {
      expect(zeroStepBack(zeroStep(r))).toBe(r)
      expect(zeroStep(zeroStepBack(r))).toBe(r)
    }
  })

  it('a zero byte steps the register as zlib does', () => {
    // zlib's CRC of bytes then one zero byte: its register is the complement of the CRC.
    const rand = random(11)
    for (let i = 0; i < 200; i++) {
      const bytes = Uint8Array.from({length: rand() % 50}, () => rand() & 255)
      const before = ~crc32(bytes) >>> 0
      const after = ~crc32(Buffer.concat([bytes, Buffer.of(0)])) >>> 0
      expect(zeroStep(before)).toBe(after)
    }
  })
})

describe('verifiedEnd on sound blocks', () => {
  it('covers every chunk of random blocks, short and long chunks, empty ones included', () => {
    const rand = random(1)
    for (let t = 0; t < 60; t++) {
      const block = chunks(rand, 1 + (rand() % 300), t % 3 === 0 ? 2000 : 200)
      expect(verified(block, 0)).toBe(block.length)
    }
  })

  it('a block of empty chunks only, and a block of one chunk', () => {
    const empties = Buffer.concat(Array.from({length: 4681}, (_, i) => chunk(1 + (i % 4), new Uint8Array(0))))
    expect(empties.length).toBeLessThanOrEqual(BLOCK)
    expect(verified(empties, 0)).toBe(empties.length)
    const one = chunk(
      1,
      Uint8Array.from({length: BLOCK - 7}, (_, i) => i & 255),
    )
    expect(verified(one, 0)).toBe(BLOCK)
  })

  it('starts where it is told (after the file header, or where an earlier scan ended)', () => {
    const rand = random(2)
    const body = chunks(rand, 100, 300, BLOCK - 7)
    const block = Buffer.concat([Buffer.from(':W&B\xe1\xbe\x00', 'latin1'), body])
    expect(verified(block, 7)).toBe(block.length)
    const second = 7 + 7 + block.readUInt16LE(7 + 4)
    expect(verified(block, second)).toBe(block.length)
  })

  it('works on a block inside a larger buffer (a read of many blocks)', () => {
    const rand = random(3)
    const a = chunks(rand, 200, 300)
    const b = chunks(rand, 200, 300)
    const slab = Buffer.concat([a, Buffer.alloc(BLOCK - a.length), b])
    expect(verified(slab, 0, b.length, BLOCK)).toBe(b.length)
    expect(verified(slab, 0, BLOCK, 0)).toBe(a.length)
  })

  it('stops at the first chunk that is not sound in shape: zero header, bad type, overrun, trailer', () => {
    const rand = random(4)
    const good = chunks(rand, 50, 300, BLOCK - 100)
    const tails: Buffer[] = [
      Buffer.alloc(40), // preallocated zeros
      Buffer.from([1, 2, 3, 4, 5, 0, 9, 1, 2]), // type 9
      Buffer.from([1, 2, 3, 4, 0xff, 0x7f, 1, 1, 2]), // overruns the block
      Buffer.from([0, 0, 0, 0, 0, 0]), // block trailer
    ]
    for (const tail of tails) {
      const block = Buffer.concat([good, tail])
      expect(verified(block, 0)).toBe(good.length)
    }
    // A block cut short by the end of the file, inside its last chunk: what comes before it is covered.
    const cut = Buffer.concat([good, chunk(1, new Uint8Array(100)).subarray(0, 50)])
    expect(verified(cut, 0)).toBe(good.length)
  })

  it('nothing to check gives back the start', () => {
    expect(verified(Buffer.alloc(100), 0)).toBe(0)
    expect(verified(Buffer.alloc(3), 0)).toBe(0)
  })
})

describe('verifiedEnd on damaged blocks', () => {
  it('agrees with the chunk-by-chunk reference for every single-bit flip of a block', () => {
    const rand = random(5)
    const block = chunks(rand, 40, 40)
    expect(block.length).toBeGreaterThan(500)
    let fallbacks = 0
    for (let bit = 0; bit < block.length * 8; bit++) {
      const damaged = Buffer.from(block)
      damaged[bit >>> 3] ^= 1 << (bit & 7)
      const want = reference(damaged, damaged.length, 0)
      expect(verified(damaged, 0), `bit ${bit}`).toBe(want)
      if (want === 0) fallbacks++
    }
    // Most flips hit a checksum, type or payload byte: the block is then checked chunk by chunk.
    expect(fallbacks).toBeGreaterThan(block.length * 4)
  })

  it('the last chunk, the first chunk, an empty chunk and the stored checksums are all covered', () => {
    const rand = random(6)
    const block = Buffer.concat([chunk(1, new Uint8Array(0)), chunks(rand, 100, 300), chunk(4, Uint8Array.of(7))])
    const last = block.length - 8
    // Type bytes are changed to another valid type (a bad type is a different problem, found by shape).
    for (const [at, flip] of [
      [0, 0x10],
      [3, 1],
      [6, 2],
      [last, 0x80],
      [last + 2, 8],
      [last + 6, 5],
      [last + 7, 1],
    ]) {
      const damaged = Buffer.from(block)
      damaged[at] ^= flip
      expect(verified(damaged, 0), `byte ${at}`).toBe(0)
    }
  })

  it('damage in two chunks of one block', () => {
    const rand = random(8)
    const block = chunks(rand, 100, 200)
    for (let t = 0; t < 50; t++) {
      const damaged = Buffer.from(block)
      damaged[rand() % block.length] ^= 1 << (rand() & 7)
      damaged[rand() % block.length] ^= 1 << (rand() & 7)
      expect(verified(damaged, 0)).toBe(reference(damaged, damaged.length, 0))
    }
  })
})

describe('a real run with one bad chunk, for each chunk of a block in turn', () => {
  const intact = readFileSync(CLEAN_RUN)
  const walked = walkIntact(intact)
  let dir = ''
  beforeAll(() => {
    dir = tempDir()
  })
  afterAll(cleanupTempDirs)

  const blockEnd = (offset: number) => (Math.floor(offset / BLOCK) + 1) * BLOCK
  // Block 0 (after the file header), a middle block and the last, partial block.
  const lastBlock = Math.floor((intact.length - 1) / BLOCK)
  const victims = walked.chunks.filter((c) => [0, 3, lastBlock].includes(Math.floor(c.start / BLOCK)))

  it('the cases cover many chunks, the first and last of blocks among them', () => {
    expect(victims.length).toBeGreaterThan(60)
    expect(victims.some((c) => c.start === 7)).toBe(true)
    expect(victims.some((c) => c.end > blockEnd(c.start) - 7)).toBe(true)
  })

  it.each([
    ['a payload byte', (start: number, end: number) => (end - start > 7 ? end - 1 : start + 1)],
    ['a stored checksum byte', (start: number) => start + 2],
  ])('%s flipped: that chunk is named, its block is skipped from there, all else is kept', (_what, where) => {
    for (const victim of victims) {
      const bytes = Buffer.from(intact)
      bytes[where(victim.start, victim.end)] ^= 0x04
      const file = join(dir, `bad-${victim.start}.wandb`)
      writeFileSync(file, bytes)
      const regionEnd = blockEnd(victim.start)
      const hits = (r: WalkedRecord) => r.chunks.some((c) => c.start < regionEnd && c.end > victim.start)
      const lost = walked.records.filter(hits)
      const outside = lost.flatMap((r) => r.chunks).filter((c) => c.start >= regionEnd || c.end <= victim.start)
      const unreadable =
        Math.min(regionEnd, intact.length) - victim.start + outside.reduce((s, c) => s + (c.end - c.start), 0)
      const payloads: Buffer[] = []
      const scan = scanRecords(file, (p) => payloads.push(Buffer.from(p)))
      const survivors = walked.records.filter((x) => !hits(x))
      expect(payloads.length, `chunk at ${victim.start}`).toBe(survivors.length)
      payloads.forEach((p, i) => expect(p.equals(survivors[i].payload)).toBe(true))
      expect(scan.damage.unreadableBytes, `chunk at ${victim.start}`).toBe(unreadable)
      expect(scan.damage.droppedRecords).toBe(lost.length)
      expect(scan.damage.problems[0]).toMatch(new RegExp(`^bad chunk checksum at byte ${victim.start}[ ;]`))
    }
  })
})
