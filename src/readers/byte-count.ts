/** A byte count for messages: `1,048,576`. */
export function byteCount(n: number): string {
  return n.toLocaleString('en-US')
}
