/**
 * Damaged `.wandb` files, made by damaging copies of a real run in a temp dir. What should survive is worked out from
 * an independent walk of the intact file's chunks (test/support/container-checks.ts), never from the reader under test.
 */
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {InputError} from '../../../src/errors.js'
import {scanRecords} from '../../../src/readers/wandb/log-container.js'
import {WandbWriter} from '../../support/wandb-writer.js'
import {
  BLOCK,
  CLEAN_RUN,
  cleanupTempDirs,
  historySteps,
  readBackUnchanged,
  tempDir,
  type WalkedRecord,
  walkIntact,
} from '../../support/container-checks.js'

const intact = readFileSync(CLEAN_RUN)
const walked = walkIntact(intact)
let dir = ''

beforeAll(() => {
  dir = tempDir()
})
afterAll(cleanupTempDirs)

let n = 0
function damagedCopy(bytes: Buffer): string {
  const file = join(dir, `damaged-${n++}.wandb`)
  writeFileSync(file, bytes)
  return file
}

const blockEnd = (offset: number) => (Math.floor(offset / BLOCK) + 1) * BLOCK

/** Asserts the reader returns exactly `survivors` (payloads and history steps) from `file`. */
function expectSurvivors(file: string, survivors: WalkedRecord[]) {
  const r = readBackUnchanged(file)
  expect(r.payloads.length).toBe(survivors.length)
  r.payloads.forEach((p, i) => expect(p.equals(survivors[i].payload), `record ${i}`).toBe(true))
  expect(r.steps).toEqual(historySteps(survivors))
  expect(r.undecodable).toBe(0)
  return r
}

/** The damage report of a log read whole. */
const NO_DAMAGE = {
  unreadableBytes: 0,
  zeroTailBytes: 0,
  droppedRecords: 0,
  problems: [],
  oversizedRecords: 0,
  oversizedBytes: 0,
  firstOversizedAt: null,
}

describe('the intact fixture', () => {
  it('reads whole, and agrees with the independent walk', () => {
    expect(walked.records.length).toBeGreaterThan(300)
    const r = expectSurvivors(CLEAN_RUN, walked.records)
    expect(r.steps.length).toBe(121)
    expect(r.steps).toEqual([...Array(121).keys()])
    expect(r.scan.damage).toEqual(NO_DAMAGE)
    expect(r.scan.endOffset).toBe(intact.length)
    // What the cases below rely on: records split FIRST/LAST over block ends, FULL records in the middle of blocks.
    expect(walked.records.filter((x) => x.chunks.length === 2).length).toBe(8)
  })
})

describe('truncated files', () => {
  const full = walked.records.find(
    (r) => r.start > 3 * BLOCK + 1000 && r.chunks.length === 1 && r.chunks[0].payload.length > 40,
  )!
  const split = walked.records.find(
    (r) => r.start > 2 * BLOCK && r.chunks.length === 2 && r.chunks[0].payload.length > 0,
  )!
  const cases: Array<[string, number]> = [
    ['1 byte into the first chunk header', 8],
    ['inside a FULL chunk payload', full.start + 7 + 20],
    ['3 bytes into a chunk header', full.start + 3],
    ['6 bytes into a chunk header', full.start + 6],
    ['right after a chunk header', full.start + 7],
    ['exactly at the end of a record', full.end],
    ['exactly on a 32 KiB boundary inside a record split FIRST/LAST', split.chunks[0].end],
    ['inside the header of the LAST chunk', split.chunks[1].start + 4],
    ['inside the LAST chunk payload', split.chunks[1].start + 7 + 10],
    ['one byte before the end of the file', intact.length - 1],
  ]

  it.each(cases)('cut %s', (_what, cut) => {
    const complete = walked.records.filter((r) => r.end <= cut)
    const torn = walked.records.find((r) => r.end > cut)!
    // The cut lands inside a record's chunks (padding between records is not data).
    expect(cut).toBeGreaterThanOrEqual(torn.start)
    const tornBytes = cut - torn.start
    // A header cut short whose bytes are all zero would read as zero padding; these cuts must not be such.
    if (tornBytes > 0) expect(intact.subarray(torn.start, cut).some((b) => b !== 0)).toBe(true)
    const r = expectSurvivors(damagedCopy(intact.subarray(0, cut)), complete)
    expect(r.scan.damage.unreadableBytes).toBe(tornBytes)
    expect(r.scan.damage.droppedRecords).toBe(tornBytes > 0 ? 1 : 0)
    expect(r.scan.damage.zeroTailBytes).toBe(0)
    expect(r.scan.damage.problems.length).toBe(tornBytes > 0 ? 1 : 0)
    expect(r.scan.endOffset).toBe(complete.length > 0 ? complete.at(-1)!.end : 7)
    expect(r.scan.bytes).toBe(cut)
  })

  it('the cut on the 32 KiB boundary loses the split record and nothing before it', () => {
    const cut = split.chunks[0].end
    expect(cut % BLOCK).toBe(0)
    expect(split.chunks[0].type).toBe(2)
    const r = readBackUnchanged(damagedCopy(intact.subarray(0, cut)))
    const before = walked.records.filter((x) => x.end <= cut)
    expect(r.steps).toEqual(historySteps(before))
    expect(r.scan.damage.unreadableBytes).toBe(cut - split.start)
  })
})

describe('zero-filled tails', () => {
  it('100 KiB of zeros after a cleanly ended file are a zero tail, not damage', () => {
    const r = expectSurvivors(damagedCopy(Buffer.concat([intact, Buffer.alloc(100 * 1024)])), walked.records)
    expect(r.scan.damage).toEqual({...NO_DAMAGE, zeroTailBytes: 100 * 1024})
    expect(r.scan.endOffset).toBe(intact.length)
  })

  it('a record cut short and followed by preallocated zeros: the torn record to its block end is lost', () => {
    const victim = walked.records.find(
      (r) => r.start > 4 * BLOCK + 500 && r.chunks.length === 1 && r.chunks[0].payload.length > 100,
    )!
    const cut = victim.start + 7 + 50
    const bytes = Buffer.concat([intact.subarray(0, cut), Buffer.alloc(100 * 1024)])
    const r = expectSurvivors(
      damagedCopy(bytes),
      walked.records.filter((x) => x.end <= cut),
    )
    expect(r.scan.damage.unreadableBytes).toBe(blockEnd(cut) - victim.start)
    expect(r.scan.damage.droppedRecords).toBe(1)
    expect(r.scan.damage.zeroTailBytes).toBe(bytes.length - blockEnd(cut))
  })
})

describe('a chunk with a bad checksum', () => {
  /** Expected outcome of corrupting the chunk at `chunkStart`: the rest of its block is skipped. */
  function expectCorruption(chunkStart: number) {
    const regionEnd = blockEnd(chunkStart)
    const hits = (r: WalkedRecord) => r.chunks.some((c) => c.start < regionEnd && c.end > chunkStart)
    const lost = walked.records.filter(hits)
    const survivors = walked.records.filter((r) => !hits(r))
    const outside = lost.flatMap((r) => r.chunks).filter((c) => c.start >= regionEnd || c.end <= chunkStart)
    const unreadable = regionEnd - chunkStart + outside.reduce((s, c) => s + (c.end - c.start), 0)
    return {lost, survivors, unreadable}
  }

  const middleBlockFull = walked.chunks.find(
    (c) => c.start > 4 * BLOCK + 2000 && c.type === 1 && c.payload.length > 10,
  )!
  const firstAtBlockEnd = walked.chunks.find((c) => c.start > 2 * BLOCK && c.type === 2 && c.payload.length > 10)!
  const lastAtBlockStart = walked.chunks.find((c) => c.start === 3 * BLOCK)!
  const cases: Array<[string, number]> = [
    ['a FULL chunk in the middle of a block', middleBlockFull.start],
    ['a FIRST chunk at the end of a block (its LAST chunk is then skipped too)', firstAtBlockEnd.start],
    ['a LAST chunk at the start of a block (its FIRST chunk is lost too)', lastAtBlockStart.start],
  ]

  it.each(cases)('in %s: that block’s records from there on are lost, all others kept', (_what, chunkStart) => {
    const bytes = Buffer.from(intact)
    bytes[chunkStart + 7 + 3] ^= 0x5a // a payload byte
    const {lost, survivors, unreadable} = expectCorruption(chunkStart)
    expect(lost.length).toBeGreaterThan(0)
    const r = expectSurvivors(damagedCopy(bytes), survivors)
    expect(r.scan.damage.unreadableBytes).toBe(unreadable)
    expect(r.scan.damage.droppedRecords).toBe(lost.length)
    expect(r.scan.damage.zeroTailBytes).toBe(0)
    expect(r.scan.damage.problems.some((p) => p.includes('bad chunk checksum'))).toBe(true)
    // Steps lost are exactly the history records among the lost ones.
    const allSteps = historySteps(walked.records)
    const lostSteps = new Set(historySteps(lost))
    expect(r.steps).toEqual(allSteps.filter((s) => !lostSteps.has(s)))
  })

  it('the cases cover a LAST chunk and a block with several records after the bad chunk', () => {
    expect(lastAtBlockStart.type).toBe(4)
    expect(expectCorruption(middleBlockFull.start).lost.length).toBeGreaterThan(2)
  })

  it('a bad MIDDLE chunk loses one record, whose other chunks are skipped', () => {
    const file = join(dir, 'middle.wandb')
    const w = WandbWriter.open(file)
    w.history(0, {a: 1})
    const big = w.history(1, {big: 'b'.repeat(100_000)})
    w.history(2, {a: 3})
    w.close()
    const bytes = readFileSync(file)
    const chunks = walkIntact(bytes).chunks
    expect(chunks.map((c) => c.type)).toEqual([1, 2, 3, 3, 4, 1])
    bytes[chunks[2].start + 100] ^= 1
    const r = readBackUnchanged(damagedCopy(bytes))
    expect(r.steps).toEqual([0, 2])
    expect(r.scan.damage.droppedRecords).toBe(1)
    expect(r.scan.damage.unreadableBytes).toBe(big.end - big.start)
  })

  it('a record cut on the 32 KiB boundary inside a MIDDLE chunk is lost whole', () => {
    const file = join(dir, 'middle-cut.wandb')
    const w = WandbWriter.open(file)
    w.history(0, {a: 1})
    const big = w.history(1, {big: 'b'.repeat(100_000)})
    w.close()
    const cut = 2 * BLOCK
    const r = readBackUnchanged(damagedCopy(readFileSync(file).subarray(0, cut)))
    expect(r.steps).toEqual([0])
    expect(r.scan.damage).toMatchObject({unreadableBytes: cut - big.start, droppedRecords: 1, zeroTailBytes: 0})
  })
})

describe('garbage appended after the data', () => {
  it('is counted as unreadable bytes and costs no record', () => {
    // Garbage long enough to cross a block boundary, not ending within 7 bytes of a block start.
    let g = 40_000
    while ((intact.length + g) % BLOCK < 7) g++
    expect(BLOCK - (intact.length % BLOCK)).toBeGreaterThanOrEqual(7)
    const garbage = Buffer.from('garbage after the data! '.repeat(Math.ceil(g / 24))).subarray(0, g)
    const r = expectSurvivors(damagedCopy(Buffer.concat([intact, garbage])), walked.records)
    expect(r.scan.damage.unreadableBytes).toBe(g)
    expect(r.scan.damage.droppedRecords).toBe(0)
    expect(r.scan.damage.zeroTailBytes).toBe(0)
    expect(r.scan.endOffset).toBe(intact.length)
  })
})

describe('files that are not (readable) wandb logs', () => {
  it('a file of the 7-byte header alone has no records and no damage', () => {
    const r = readBackUnchanged(damagedCopy(intact.subarray(0, 7)))
    expect(r.payloads).toEqual([])
    expect(r.scan).toMatchObject({bytes: 7, endOffset: 7, version: 0})
    expect(r.scan.damage).toEqual(NO_DAMAGE)
  })

  const bad: Array<[string, Buffer, RegExp]> = [
    ['an empty file', Buffer.alloc(0), /empty file/],
    [
      'a wrong magic',
      Buffer.concat([Buffer.from(':W&B'), Buffer.of(0xef, 0xbe, 0), intact.subarray(7)]),
      /bad magic 0xbeef/,
    ],
    ['a file without the :W&B header', Buffer.from('{"not": "a wandb log"}\n'), /missing the ":W&B" file header/],
    ['a header cut short', intact.subarray(0, 5), /missing the ":W&B" file header/],
    [
      'an unsupported version',
      Buffer.concat([intact.subarray(0, 6), Buffer.of(2), intact.subarray(7)]),
      /unsupported wandb log version 2/,
    ],
  ]
  it.each(bad)('%s is refused with an InputError', (_what, bytes, message) => {
    const file = damagedCopy(bytes)
    let error: unknown
    try {
      scanRecords(file, () => {
        throw new Error('no record expected')
      })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(InputError)
    expect((error as InputError).message).toMatch(message)
    expect((error as InputError).file).toBe(file)
    expect(readFileSync(file).equals(bytes)).toBe(true)
  })

  it('version 1 is accepted', () => {
    const r = expectSurvivors(
      damagedCopy(Buffer.concat([intact.subarray(0, 6), Buffer.of(1), intact.subarray(7)])),
      walked.records,
    )
    expect(r.scan.version).toBe(1)
  })
})
