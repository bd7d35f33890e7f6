import {byteCount} from '../byte-count.js'

/** What could not be read from a `.wandb` file, and why. */
export interface DamageReport {
  /** Bytes of data that could not be turned into records (bad checksums, torn records, garbage). */
  unreadableBytes: number
  /** Bytes of zeros after the last data in the file (space the writer preallocated, block padding; not data). */
  zeroTailBytes: number
  /** Counted from the chunk headers that still look sound in a skipped block; a multi-block record counts once. */
  droppedRecords: number
  /** One short description per problem found, with its byte offset. */
  problems: string[]
  /** Intact records over the record size limit, skipped whole (see `maxRecordBytes`), and their bytes. */
  oversizedRecords: number
  oversizedBytes: number
  /** Byte offset of the first of them. */
  firstOversizedAt: number | null
}

export function emptyDamage(): DamageReport {
  return {
    unreadableBytes: 0,
    zeroTailBytes: 0,
    droppedRecords: 0,
    problems: [],
    oversizedRecords: 0,
    oversizedBytes: 0,
    firstOversizedAt: null,
  }
}

/** A one-line summary of the damage, or null when the file was read whole. */
export function describeDamage(file: string, d: DamageReport): string | null {
  if (d.unreadableBytes === 0 && d.droppedRecords === 0) return null
  const first = d.problems[0] ? ` (first: ${d.problems[0]})` : ''
  return `${file}: ${d.unreadableBytes} byte(s) could not be read, ${d.droppedRecords} damaged record(s) skipped${first}; every intact record was kept`
}

/** A one-line warning about records skipped for their size, or null when there were none. */
export function describeOversized(file: string, d: DamageReport, limit: number): string | null {
  if (d.oversizedRecords === 0) return null
  return (
    `${file}: ${d.oversizedRecords} record(s) larger than the ${byteCount(limit)}-byte record limit skipped ` +
    `(${byteCount(d.oversizedBytes)} byte(s), first at byte ${d.firstOversizedAt}; ` +
    'RUNLOG_MAX_RECORD_BYTES sets the limit); every other record was kept'
  )
}
