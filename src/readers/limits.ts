/** Limits that keep a reader's memory bounded whatever the input; settings, so tests need no huge files. */

export {maxLineBytes, maxRecordBytes} from '../settings.js'

/** A byte count for messages: `1,048,576`. */
export function byteCount(n: number): string {
  return n.toLocaleString('en-US')
}
