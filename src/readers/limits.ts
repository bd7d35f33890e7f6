/**
 * Size limits that keep a reader's memory bounded whatever the input (a tqdm bar redrawn with `\r` for 600 MB, a 2 GB
 * record). Each is a setting (src/settings.ts): tests use small limits instead of huge files.
 */

export {maxLineBytes, maxRecordBytes} from '../settings.js'

/** A byte count for messages: `1,048,576`. */
export function byteCount(n: number): string {
  return n.toLocaleString('en-US')
}
