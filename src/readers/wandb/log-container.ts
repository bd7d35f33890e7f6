import {closeSync, fstatSync, openSync, readSync} from 'node:fs'
import {crc32} from 'node:zlib'
import {crc32Range} from './chunk-crc.js'
import {verifiedEnd} from './block-crc.js'
import {type DamageReport, emptyDamage} from './damage.js'
import {InputError} from '../../errors.js'
import {checkRegularFile} from '../input-file.js'
import {maxRecordBytes} from '../../settings.js'
import type {ReadProgress} from '../read-progress.js'

/** Size of a block of the LevelDB-style log. */
export const BLOCK_SIZE = 32768
/** Bytes of a chunk header: uint32 checksum, uint16 length, uint8 type. */
export const CHUNK_HEADER_SIZE = 7
/** Bytes of the file header `:W&B` + uint16 magic + uint8 version. */
export const FILE_HEADER_SIZE = 7
export const FILE_MAGIC = 0xbee1
export const SUPPORTED_VERSIONS = [0, 1]

export const enum ChunkType {
  /** Zero-filled space a writer preallocated (LevelDB's kZeroType). */
  Zero = 0,
  Full = 1,
  First = 2,
  Middle = 3,
  Last = 4,
}

/** Blocks read per system call: 32 blocks = 1 MiB, so memory stays bounded whatever the file size. */
const BLOCKS_PER_READ = 32
/** Room kept for joining a record split over blocks (a bigger one gets its own, let go after it). */
const JOIN_BYTES = 64 * 1024

/** Precomputed CRC-32 seeds for each chunk type byte, so a checksum costs one pass over the payload. */
const TYPE_SEEDS = [0, 1, 2, 3, 4].map((t) => crc32(Buffer.of(t)))

/** True when the one-chunk record in `bytes[start, end)` is one the caller would pass over: spares a view of each. */
export type SkipRecord = (bytes: Uint8Array, start: number, end: number) => boolean

export interface ContainerScan {
  damage: DamageReport
  /** File size when the scan ran. */
  bytes: number
  /** Offset just past the last complete record. */
  endOffset: number
  version: number
}

export function checkFileHeader(file: string, head: Buffer, size: number): number {
  if (size === 0) throw new InputError(file, 'empty file, not a wandb log')
  if (size < FILE_HEADER_SIZE || head.toString('latin1', 0, 4) !== ':W&B')
    throw new InputError(file, 'not a wandb log (missing the ":W&B" file header)')
  const magic = head.readUInt16LE(4)
  if (magic !== FILE_MAGIC) throw new InputError(file, `not a wandb log (bad magic 0x${magic.toString(16)})`)
  const version = head.readUInt8(6)
  if (!SUPPORTED_VERSIONS.includes(version))
    throw new InputError(file, `unsupported wandb log version ${version} (runlog reads versions 0 and 1)`)
  return version
}

/** The payload passed to `onRecord` is only valid during the call. Damage is skipped and reported, never thrown. */
export function scanRecords(
  file: string,
  onRecord: (payload: Uint8Array) => void,
  opts: {from?: number; onProgress?: ReadProgress; skip?: SkipRecord} = {},
): ContainerScan {
  // A FIFO or device named `.wandb` is never opened (reading a FIFO blocks until something writes to it).
  checkRegularFile(file, 'wandb log')
  let fd: number
  try {
    fd = openSync(file, 'r')
  } catch (error) {
    throw new InputError(file, `cannot open (${(error as NodeJS.ErrnoException).code ?? String(error)})`)
  }
  try {
    return scanOpenFile(file, fd, onRecord, opts.from ?? 0, opts.onProgress, opts.skip)
  } finally {
    closeSync(fd)
  }
}

/** `from`: the `endOffset` of an earlier scan of the same, growing file; only the bytes after it are read. */
function scanOpenFile(
  file: string,
  fd: number,
  onRecord: (payload: Uint8Array) => void,
  from: number,
  onProgress?: ReadProgress,
  skip?: SkipRecord,
): ContainerScan {
  const size = fstatSync(fd).size
  const buf = Buffer.allocUnsafe(BLOCK_SIZE * BLOCKS_PER_READ)
  // A plain Uint8Array over the same memory: its subarray() is much cheaper than Buffer's, which shows in a scan.
  const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.length)
  const headRead = readSync(fd, buf, 0, Math.min(size, buf.length), 0)
  const version = checkFileHeader(file, buf, headRead)
  checkBlockFraming(file, buf, headRead, size)
  const damage = emptyDamage()
  // A record split over blocks: its payload so far in `joined` (reused: a record is only valid during its call),
  // handed over on LAST. `partsBytes` > 0 while one is being joined.
  let joined = new Uint8Array(JOIN_BYTES)
  let joinedLen = 0
  const join = (from: number, to: number) => {
    const need = joinedLen + to - from
    if (need > joined.length) {
      const grown = new Uint8Array(Math.max(need, joined.length * 2))
      grown.set(joined.subarray(0, joinedLen))
      joined = grown
    }
    joined.set(bytes.subarray(from, to), joinedLen)
    joinedLen = need
  }
  let partsBytes = 0
  let partsStart = 0
  // Payload bytes of the record being joined; past `maxRecord` its parts are let go and the record is skipped whole.
  let payloadBytes = 0
  let oversized = false
  const maxRecord = maxRecordBytes()
  // True while continuation chunks belong to a record already counted as dropped (after a bad chunk).
  let orphan = false
  let endOffset = Math.max(FILE_HEADER_SIZE, from)
  let pendingZero = 0

  const dropParts = (why: string, at: number): boolean => {
    if (partsBytes === 0) return false
    damage.unreadableBytes += partsBytes
    damage.droppedRecords += 1
    damage.problems.push(`${why} at byte ${at} (record started at byte ${partsStart})`)
    resetParts()
    return true
  }
  const resetParts = () => {
    joinedLen = 0
    // A big record's room is let go, as its parts were.
    if (joined.length > JOIN_BYTES) joined = new Uint8Array(JOIN_BYTES)
    partsBytes = 0
    payloadBytes = 0
    oversized = false
  }
  /** `withParts`: the record being joined is lost too, reported in the same problem line. */
  const lose = (bytes: number, records: number, why: string, at: number, withParts = false) => {
    let from = ''
    if (withParts && partsBytes > 0) {
      bytes += partsBytes
      records += 1
      from = ` (record started at byte ${partsStart})`
      resetParts()
    }
    damage.unreadableBytes += bytes
    damage.droppedRecords += records
    damage.problems.push(
      `${why} at byte ${at}${from}; skipped ${bytes} byte(s)${records > 0 ? `, ${records} record(s)` : ''}`,
    )
  }
  /** Records a chunk of this type starts that are lost with it (a record being joined is counted by `lose`). */
  const lostBy = (type: ChunkType, hadParts: boolean): number => {
    if (type === ChunkType.Full || type === ChunkType.First) return 1
    if (type === ChunkType.Middle || type === ChunkType.Last) return hadParts || orphan ? 0 : 1
    return 0
  }

  const resumeBlock = from > FILE_HEADER_SIZE ? Math.floor(from / BLOCK_SIZE) * BLOCK_SIZE : 0
  let slabStart = resumeBlock
  let slabLen =
    resumeBlock === 0
      ? headRead
      : from >= size
        ? 0
        : readSync(fd, buf, 0, Math.min(buf.length, size - resumeBlock), resumeBlock)
  for (;;) {
    for (let blockOff = 0; blockOff < slabLen; blockOff += BLOCK_SIZE) {
      const blockStart = slabStart + blockOff
      const blockLen = Math.min(BLOCK_SIZE, slabLen - blockOff)
      const cutShort = blockLen < BLOCK_SIZE && blockStart + blockLen >= size
      let pos = blockStart === 0 ? FILE_HEADER_SIZE : 0
      if (blockStart === resumeBlock && from > blockStart + pos) pos = from - blockStart
      // Chunks ending by here passed one checksum pass over the block; the others are checked one by one.
      const checkedTo = verifiedEnd(bytes, blockOff, blockLen, pos)
      while (pos < blockLen) {
        if (partsBytes === 0 && pos < checkedTo) {
          const before = pos
          pos = checkedFullRecords(bytes, blockOff, pos, checkedTo, onRecord, skip)
          if (pos > before) {
            // As the FULL case below would have left things after the last of them.
            orphan = false
            pendingZero = 0
            endOffset = blockStart + pos
            continue
          }
        }
        const at = blockStart + pos
        const remaining = blockLen - pos
        const h = blockOff + pos
        if (remaining < CHUNK_HEADER_SIZE) {
          // Block trailer padding, or a chunk header torn by the end of the file.
          if (allZero(buf, h, remaining)) pendingZero += remaining
          else if (cutShort) {
            lose(remaining, partsBytes > 0 || orphan ? 0 : 1, 'file ends inside a chunk header', at, true)
          }
          // Non-zero padding at the end of a full block is harmless.
          break
        }
        const length = bytes[h + 4] | (bytes[h + 5] << 8)
        const type = bytes[h + 6] as ChunkType
        if (length === 0 && type === ChunkType.Zero && storedChecksum(bytes, h) === 0) {
          // Zero-filled space (preallocated by the writer): no more data in this block.
          if (allZero(buf, h, remaining)) pendingZero += remaining
          else {
            lose(remaining, 0, 'zero chunk header followed by data', at, true)
          }
          break
        }
        // Zeros followed by real data: they were not a tail after all.
        pendingZero = 0
        const payloadStart = h + CHUNK_HEADER_SIZE
        const payloadEnd = payloadStart + length
        const validType = type >= ChunkType.Full && type <= ChunkType.Last
        if (validType && cutShort && pos + CHUNK_HEADER_SIZE + length > blockLen) {
          // The file ends inside this chunk: the process writing it was killed.
          lose(remaining, lostBy(type, partsBytes > 0), 'file ends inside a chunk', at, true)
          break
        }
        if (
          !validType ||
          pos + CHUNK_HEADER_SIZE + length > blockLen ||
          (pos + CHUNK_HEADER_SIZE + length > checkedTo &&
            storedChecksum(bytes, h) !== chunkChecksum(bytes, payloadStart, payloadEnd, type))
        ) {
          // Corruption: skip the rest of the block, as LevelDB's reader does.
          const why = !validType
            ? `bad chunk type ${type}`
            : pos + CHUNK_HEADER_SIZE + length > blockLen
              ? 'chunk overruns its block'
              : 'bad chunk checksum'
          const lost = countSkippedRecords(buf, h, blockOff + blockLen, partsBytes > 0, orphan)
          lose(remaining, lost.records, why, at, true)
          orphan = lost.continues
          break
        }
        switch (type) {
          case ChunkType.Full: {
            if (partsBytes > 0) dropParts('record interrupted by a new record', at)
            orphan = false
            if (!skip?.(bytes, payloadStart, payloadEnd)) onRecord(bytes.subarray(payloadStart, payloadEnd))
            endOffset = at + CHUNK_HEADER_SIZE + length
            break
          }
          case ChunkType.First: {
            dropParts('record interrupted by a new record', at)
            orphan = false
            join(payloadStart, payloadEnd)
            partsBytes = CHUNK_HEADER_SIZE + length
            payloadBytes = length
            partsStart = at
            break
          }
          default: {
            if (partsBytes === 0) {
              lose(CHUNK_HEADER_SIZE + length, orphan ? 0 : 1, 'continuation chunk without a first chunk', at)
              orphan = type === ChunkType.Middle
              break
            }
            partsBytes += CHUNK_HEADER_SIZE + length
            payloadBytes += length
            if (!oversized && payloadBytes > maxRecord) {
              // Too big to join in memory: the rest of it is only counted.
              oversized = true
              joinedLen = 0
              if (joined.length > JOIN_BYTES) joined = new Uint8Array(JOIN_BYTES)
            }
            if (!oversized) join(payloadStart, payloadEnd)
            if (type === ChunkType.Last) {
              if (oversized) {
                damage.oversizedRecords += 1
                damage.oversizedBytes += partsBytes
                if (damage.firstOversizedAt === null) damage.firstOversizedAt = partsStart
              } else onRecord(joined.subarray(0, joinedLen))
              resetParts()
              endOffset = at + CHUNK_HEADER_SIZE + length
            }
            break
          }
        }
        pos += CHUNK_HEADER_SIZE + length
      }
    }
    slabStart += slabLen
    onProgress?.(slabStart, size)
    if (slabStart >= size) break
    slabLen = readSync(fd, buf, 0, Math.min(buf.length, size - slabStart), slabStart)
    if (slabLen <= 0) break
  }
  dropParts('file ends inside a record', size)
  damage.zeroTailBytes = pendingZero
  return {damage, bytes: size, endOffset, version}
}

/**
 * Hands on the FULL chunks from block position `pos` on, all checked already (before `checkedTo`) and with no record
 * being joined: most of a log, read here with nothing else to look at. Returns the position of the first other chunk.
 */
function checkedFullRecords(
  bytes: Uint8Array,
  blockOff: number,
  pos: number,
  checkedTo: number,
  onRecord: (payload: Uint8Array) => void,
  skip: SkipRecord | undefined,
): number {
  while (pos < checkedTo) {
    const h = blockOff + pos
    if ((bytes[h + 6] as ChunkType) !== ChunkType.Full) break
    const start = h + CHUNK_HEADER_SIZE
    const end = start + (bytes[h + 4] | (bytes[h + 5] << 8))
    if (!skip?.(bytes, start, end)) onRecord(bytes.subarray(start, end))
    pos = end - blockOff
  }
  return pos
}

/**
 * Counts the records lost in a skipped rest of a block by walking the chunk headers that still look sound.
 * `continues`: the last of them goes on in the next block, so its continuation chunks are not new losses.
 */
function countSkippedRecords(
  buf: Buffer,
  start: number,
  end: number,
  hadParts: boolean,
  orphan: boolean,
): {records: number; continues: boolean} {
  let records = 0
  let last = ChunkType.Zero
  let p = start
  while (p + CHUNK_HEADER_SIZE <= end) {
    const length = buf.readUInt16LE(p + 4)
    const type = buf[p + 6] as ChunkType
    if (type < ChunkType.Full || type > ChunkType.Last || p + CHUNK_HEADER_SIZE + length > end) {
      // Garbage from here on: what it held is unknown.
      return {records, continues: false}
    }
    if (type === ChunkType.Full || type === ChunkType.First) records++
    else if (p === start && !hadParts && !orphan) records++
    last = type
    p += CHUNK_HEADER_SIZE + length
  }
  return {records, continues: last === ChunkType.First || last === ChunkType.Middle}
}

/** Whether the first two blocks, framed from `origin` + k·32768, pass their checks (a cut-short file passes). */
function framingIsSound(buf: Buffer, len: number, size: number, origin: number): boolean {
  for (let b = 0; b < 2; b++) {
    const blockStart = origin + b * BLOCK_SIZE
    const blockEnd = Math.min(blockStart + BLOCK_SIZE, len)
    if (blockStart >= len) return true
    let pos = Math.max(blockStart, FILE_HEADER_SIZE)
    while (pos < blockEnd) {
      if (blockEnd - pos < CHUNK_HEADER_SIZE) {
        if (blockEnd === size) return true
        break
      }
      const checksum = buf.readUInt32LE(pos)
      const length = buf.readUInt16LE(pos + 4)
      const type = buf[pos + 6] as ChunkType
      if (checksum === 0 && length === 0 && type === ChunkType.Zero) break
      if (type < ChunkType.Full || type > ChunkType.Last) return false
      if (pos + CHUNK_HEADER_SIZE + length > blockEnd) return blockEnd === size && blockEnd < blockStart + BLOCK_SIZE
      if (checksum !== chunkChecksum(buf, pos + CHUNK_HEADER_SIZE, pos + CHUNK_HEADER_SIZE + length, type)) return false
      pos += CHUNK_HEADER_SIZE + length
    }
  }
  return true
}

/**
 * wandb-core 0.17.0–0.17.5 framed blocks as if the file header were outside block 0 (blocks at 7 + k·32768); such a
 * file reads as corrupt from the first block boundary on, so say what it is instead of misreading it.
 */
function checkBlockFraming(file: string, buf: Buffer, len: number, size: number): void {
  if (size <= BLOCK_SIZE) return
  if (framingIsSound(buf, len, size, 0)) return
  if (!framingIsSound(buf, len, size, FILE_HEADER_SIZE)) return
  throw new InputError(
    file,
    'written by wandb-core 0.17.0–0.17.5 with a block-framing bug (blocks offset by the 7-byte file header); ' +
      'wandb itself cannot read this file, and runlog does not either',
  )
}

/** The checksum in the chunk header at `h`. */
function storedChecksum(bytes: Uint8Array, h: number): number {
  return (bytes[h] | (bytes[h + 1] << 8) | (bytes[h + 2] << 16) | (bytes[h + 3] << 24)) >>> 0
}

/** CRC-32 of the type byte followed by the payload `buf[start, end)`. */
function chunkChecksum(buf: Uint8Array, start: number, end: number, type: number): number {
  return end === start ? TYPE_SEEDS[type] : crc32Range(buf, start, end, TYPE_SEEDS[type])
}

function allZero(buf: Buffer, start: number, len: number): boolean {
  for (let i = start; i < start + len; i++) if (buf[i] !== 0) return false
  return true
}
