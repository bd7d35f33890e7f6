/** Node's own decoders behind `buf.toString(enc, start, end)`, without its argument checks (a per-line cost). */
export type RawBuffer = Buffer & {
  utf8Slice(start: number, end: number): string
  latin1Slice(start: number, end: number): string
}
