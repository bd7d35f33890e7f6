/**
 * `OutputRecord` fields (`output_type = 1`, `timestamp = 2`, `line = 3`) read in place, with no decoder or string:
 * console records are most of a big log.
 */
export interface OutputFields {
  /** 1 = stdout, 0 = stderr (wandb's `OutputType`). */
  type: number
  /** Unix seconds, or null when the record has none. */
  timestamp: number | null
  /** The text's UTF-8 bytes are `buf[textStart, textEnd)` (positions in the buffer given to `readOutputFields`). */
  textStart: number
  textEnd: number
}

/** Reads a varint of `buf[pos, end)` into `out[0]` (value, exact below 2^53); returns the position after it, or -1. */
function varint(buf: Uint8Array, pos: number, end: number, out: number[]): number {
  let value = 0
  let scale = 1
  for (let i = 0; i < 10; i++) {
    if (pos >= end) return -1
    const b = buf[pos++]
    value += (b & 0x7f) * scale
    if ((b & 0x80) === 0) {
      out[0] = value
      return pos
    }
    scale *= 128
  }
  return -1
}

const scratch = [0]

/** `google.protobuf.Timestamp` in `buf[start, end)` → Unix seconds. */
function timestampOf(buf: Uint8Array, start: number, end: number): number | null {
  let seconds = 0
  let nanos = 0
  let pos = start
  while (pos < end) {
    pos = varint(buf, pos, end, scratch)
    if (pos < 0) return null
    const tag = scratch[0]
    if ((tag & 7) !== 0) return null
    pos = varint(buf, pos, end, scratch)
    if (pos < 0) return null
    // int64 seconds and int32 nanos: negative values are 10-byte two's complement (read as huge; never in practice).
    if (tag >>> 3 === 1) seconds = scratch[0]
    else if (tag >>> 3 === 2) nanos = scratch[0]
  }
  return seconds + nanos / 1e9
}

/** `out` is reused to allocate nothing. False when not a valid message. `time: false` leaves `timestamp` null. */
export function readOutputFields(buf: Uint8Array, start: number, end: number, out: OutputFields, time = true): boolean {
  out.type = 0
  out.timestamp = null
  out.textStart = start
  out.textEnd = start
  let pos = start
  while (pos < end) {
    pos = varint(buf, pos, end, scratch)
    if (pos < 0) return false
    const no = Math.floor(scratch[0] / 8)
    const wt = scratch[0] & 7
    if (wt === 0) {
      pos = varint(buf, pos, end, scratch)
      if (pos < 0) return false
      if (no === 1) out.type = scratch[0]
    } else if (wt === 2) {
      pos = varint(buf, pos, end, scratch)
      if (pos < 0) return false
      const stop = pos + scratch[0]
      if (stop > end) return false
      if (no === 2) out.timestamp = time ? timestampOf(buf, pos, stop) : null
      else if (no === 3) {
        out.textStart = pos
        out.textEnd = stop
      }
      pos = stop
    } else if (wt === 1) pos += 8
    else if (wt === 5) pos += 4
    else return false
  }
  return pos === end
}

export function outputFields(): OutputFields {
  return {type: 0, timestamp: null, textStart: 0, textEnd: 0}
}
