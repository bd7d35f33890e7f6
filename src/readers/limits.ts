/**
 * Size limits that keep a reader's memory bounded whatever the input (a tqdm bar redrawn with `\r` for 600 MB, a 2 GB
 * record). Each can be changed with an environment variable (tests use small limits instead of huge files).
 */

/** A console or log line longer than this is cut (its first bytes are kept, the rest is skipped and counted). */
export const DEFAULT_MAX_LINE_BYTES = 4 << 20

/**
 * A `.wandb` record larger than this is skipped whole (and counted), without being joined in memory. wandb's own sync
 * drops history lines over ~10 MB; a value of twice the limit was more than DuckDB's default 128 MB could load.
 */
export const DEFAULT_MAX_RECORD_BYTES = 32 << 20

function setting(name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  // A bad value falls back to the default rather than removing the bound.
  return Number.isSafeInteger(n) && n > 0 ? n : fallback
}

/** `RUNLOG_MAX_LINE_BYTES`, or `DEFAULT_MAX_LINE_BYTES`. */
export function maxLineBytes(): number {
  return setting('RUNLOG_MAX_LINE_BYTES', DEFAULT_MAX_LINE_BYTES)
}

/** `RUNLOG_MAX_RECORD_BYTES`, or `DEFAULT_MAX_RECORD_BYTES`. */
export function maxRecordBytes(): number {
  return setting('RUNLOG_MAX_RECORD_BYTES', DEFAULT_MAX_RECORD_BYTES)
}

/** A byte count for messages: `1,048,576`. */
export function byteCount(n: number): string {
  return n.toLocaleString('en-US')
}
