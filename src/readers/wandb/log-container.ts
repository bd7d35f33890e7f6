import {closeSync, fstatSync, openSync, readSync} from 'node:fs'
import {crc32} from 'node:zlib'
import {type DamageReport, emptyDamage} from './damage.js'
import {InputError} from './errors.js'

/** Size of a block of the LevelDB-style log. */
export const BLOCK_SIZE = 32768
/** Bytes of a chunk header: uint32 checksum, uint16 length, uint8 type. */
export const CHUNK_HEADER_SIZE = 7
/** Bytes of the file header `:W&B` + uint16 magic + uint8 version. */
export const FILE_HEADER_SIZE = 7
export const FILE_MAGIC = 0xbee1
export const SUPPORTED_VERSIONS = [0, 1]

export const enum ChunkType {
  Full = 1,
  First = 2,
  Middle = 3,
  Last = 4,
}

/** Blocks read per system call: 32 blocks = 1 MiB, so memory stays bounded whatever the file size. */
const BLOCKS_PER_READ = 32

/** Precomputed CRC-32 seeds for each chunk type byte, so a checksum costs one pass over the payload. */
const TYPE_SEEDS = [0, 1, 2, 3, 4].map((t) => crc32(Buffer.of(t)))

export interface ContainerScan {
  damage: DamageReport
  /** File size when the scan ran. */
  bytes: number
  /** Offset just past the last complete record. */
  endOffset: number
  /** Container format version from the file header. */
  version: number
}

/** Checks the 7-byte file header; throws an InputError naming the problem. */
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

/**
 * Streams every intact record payload of a `.wandb` file to `onRecord`, in file order, reading 1 MiB at a time.
 * The payload passed to `onRecord` is only valid during the call. Damage is skipped and reported, never thrown.
 */
export function scanRecords(file: string, onRecord: (payload: Uint8Array) => void): ContainerScan {
  let fd: number
  try {
    fd = openSync(file, 'r')
  } catch (error) {
    throw new InputError(file, `cannot open (${(error as NodeJS.ErrnoException).code ?? String(error)})`)
  }
  try {
    return scanOpenFile(file, fd, onRecord)
  } finally {
    closeSync(fd)
  }
}

function scanOpenFile(file: string, fd: number, onRecord: (payload: Uint8Array) => void): ContainerScan {
  const size = fstatSync(fd).size
  const buf = Buffer.allocUnsafe(BLOCK_SIZE * BLOCKS_PER_READ)
  const headRead = readSync(fd, buf, 0, Math.min(size, buf.length), 0)
  const version = checkFileHeader(file, buf, headRead)
  const damage = emptyDamage()
  // A record split over blocks: its parts, joined on LAST.
  let parts: Uint8Array[] = []
  let partsBytes = 0
  let partsStart = 0
  let endOffset = FILE_HEADER_SIZE
  let pendingZero = 0

  const dropParts = (why: string, at: number) => {
    if (parts.length === 0) return
    damage.unreadableBytes += partsBytes
    damage.droppedRecords += 1
    damage.problems.push(`${why} at byte ${at} (record started at byte ${partsStart})`)
    parts = []
    partsBytes = 0
  }
  const skip = (bytes: number, why: string, at: number) => {
    if (bytes <= 0) return
    damage.unreadableBytes += bytes
    damage.problems.push(`${why} at byte ${at}; skipped ${bytes} byte(s)`)
  }

  let slabStart = 0
  let slabLen = headRead
  for (;;) {
    for (let blockOff = 0; blockOff < slabLen; blockOff += BLOCK_SIZE) {
      const blockStart = slabStart + blockOff
      const blockLen = Math.min(BLOCK_SIZE, slabLen - blockOff)
      let pos = blockStart === 0 ? FILE_HEADER_SIZE : 0
      while (pos < blockLen) {
        const at = blockStart + pos
        const remaining = blockLen - pos
        if (remaining < CHUNK_HEADER_SIZE) {
          // Trailer padding, or a header torn by the end of the file.
          const isLastBlock = blockStart + blockLen >= size
          if (blockLen === BLOCK_SIZE || !isLastBlock) {
            if (!allZero(buf, blockOff + pos, remaining)) {
              /* padding is normally zero; non-zero padding is harmless */
            }
          } else if (!allZero(buf, blockOff + pos, remaining)) {
            dropParts('file ends inside a record', at)
            skip(remaining, 'file ends inside a chunk header', at)
          } else pendingZero += remaining
          break
        }
        const h = blockOff + pos
        const checksum = buf.readUInt32LE(h)
        const length = buf.readUInt16LE(h + 4)
        const type = buf[h + 6]
        if (checksum === 0 && length === 0 && type === 0) {
          // Zero-filled space: no more data in this block.
          if (allZero(buf, h, remaining)) pendingZero += remaining
          else {
            dropParts('zero chunk header followed by data', at)
            skip(remaining, 'zero chunk header followed by data', at)
          }
          break
        }
        if (pendingZero > 0) {
          // Zeros followed by real data: they were not a tail after all.
          pendingZero = 0
        }
        const payloadStart = h + CHUNK_HEADER_SIZE
        const payloadEnd = payloadStart + length
        if (pos + CHUNK_HEADER_SIZE + length > blockLen) {
          const truncated = blockStart + blockLen >= size && blockLen < BLOCK_SIZE
          dropParts(truncated ? 'file ends inside a record' : 'chunk overruns its block', at)
          skip(remaining, truncated ? 'file ends inside a chunk' : 'chunk overruns its block', at)
          break
        }
        if (type < ChunkType.Full || type > ChunkType.Last || checksum !== crc32(buf.subarray(payloadStart, payloadEnd), TYPE_SEEDS[type])) {
          dropParts('bad chunk checksum', at)
          skip(remaining, type > ChunkType.Last || type < 1 ? `bad chunk type ${type}` : 'bad chunk checksum', at)
          break
        }
        const payload = buf.subarray(payloadStart, payloadEnd)
        switch (type) {
          case ChunkType.Full: {
            dropParts('record interrupted by a new record', at)
            onRecord(payload)
            endOffset = blockStart + pos + CHUNK_HEADER_SIZE + length
            break
          }
          case ChunkType.First: {
            dropParts('record interrupted by a new record', at)
            parts = [Buffer.from(payload)]
            partsBytes = CHUNK_HEADER_SIZE + length
            partsStart = at
            break
          }
          case ChunkType.Middle:
          case ChunkType.Last: {
            if (parts.length === 0) {
              skip(CHUNK_HEADER_SIZE + length, 'continuation chunk without a first chunk', at)
              damage.droppedRecords += 1
              break
            }
            parts.push(Buffer.from(payload))
            partsBytes += CHUNK_HEADER_SIZE + length
            if (type === ChunkType.Last) {
              const whole = Buffer.concat(parts)
              parts = []
              partsBytes = 0
              onRecord(whole)
              endOffset = blockStart + pos + CHUNK_HEADER_SIZE + length
            }
            break
          }
        }
        pos += CHUNK_HEADER_SIZE + length
      }
    }
    slabStart += slabLen
    if (slabStart >= size) break
    slabLen = readSync(fd, buf, 0, Math.min(buf.length, size - slabStart), slabStart)
    if (slabLen <= 0) break
  }
  dropParts('file ends inside a record', size)
  damage.zeroTailBytes = pendingZero
  return {damage, bytes: size, endOffset, version}
}

function allZero(buf: Buffer, start: number, len: number): boolean {
  for (let i = start; i < start + len; i++) if (buf[i] !== 0) return false
  return true
}
