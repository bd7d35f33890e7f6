/** What could not be read from a `.wandb` file, and why. */
export interface DamageReport {
  /** Bytes of data that could not be turned into records (bad checksums, torn records, garbage). */
  unreadableBytes: number
  /** Bytes of zeros after the last data in the file (space the writer preallocated, block padding; not data). */
  zeroTailBytes: number
  /**
   * Records lost: cut short by the end of the file, or with data in the part of a block skipped after a bad chunk
   * (counted from the chunk headers there that still look sound; garbage that does not look like chunks counts none).
   * A record whose chunks span several blocks counts once.
   */
  droppedRecords: number
  /** One short description per problem found, with its byte offset. */
  problems: string[]
}

export function emptyDamage(): DamageReport {
  return {unreadableBytes: 0, zeroTailBytes: 0, droppedRecords: 0, problems: []}
}

/** A one-line summary of the damage, or null when the file was read whole. */
export function describeDamage(file: string, d: DamageReport): string | null {
  if (d.unreadableBytes === 0 && d.droppedRecords === 0) return null
  const first = d.problems[0] ? ` (first: ${d.problems[0]})` : ''
  return `${file}: ${d.unreadableBytes} byte(s) could not be read, ${d.droppedRecords} damaged record(s) skipped${first}; every intact record was kept`
}
