import {WireType} from '@bufbuild/protobuf/wire'
import type {HistoryRecord, KeyValue} from './records.js'
import type {RawBuffer} from '../raw-buffer.js'

/*
 * History records and items read by a plain scan of their fields: no BinaryReader, no [field, wire type] tuple per
 * tag, no view per item (items are most of a history record). Only the common shapes are read here; for anything else
 * (groups, unknown wire types, long varints, steps over 49 bits, bytes cut short) these return undefined and the
 * caller decodes the whole message again with @bufbuild/protobuf, which decides (and rejects) exactly as before.
 */

/** Strings are decoded as @bufbuild/protobuf does when not strict: invalid UTF-8 replaced, a leading U+FEFF kept. */
const utf8 = new TextDecoder('utf-8', {ignoreBOM: true})

/** A history record; `stepItem` numbers a record without a step, as `decodeHistory` does. */
export function quickHistory(
  buf: Uint8Array,
  stepItem: (items: readonly KeyValue[]) => number | null,
): HistoryRecord | undefined {
  const items: KeyValue[] = []
  const step = scanHistory(buf, items)
  return step === undefined ? undefined : {step: step ?? stepItem(items) ?? 0, items}
}

/**
 * The step of a history record by a plain scan of its fields (no reader, no tag tuples: the items it passes over are
 * most of the record). Undefined whenever `fullHistoryStep` must decide: no step number, a group, a step of more than
 * 7 varint bytes (49 bits), or anything malformed, which that decoder rejects as before.
 */
export function quickHistoryStep(buf: Uint8Array): number | undefined {
  return scanHistory(buf, null) ?? undefined
}

/**
 * A history record's step number (null when it has none) and, unless `items` is null, its items pushed there;
 * undefined when the full decoder must decide.
 */
function scanHistory(buf: Uint8Array, items: KeyValue[] | null): number | null | undefined {
  // Made only where items are read: the step alone is read for every history record by `ls`.
  const raw = items && (Buffer.from(buf.buffer, buf.byteOffset, buf.length) as RawBuffer)
  let step: number | null = null
  const end = buf.length
  let pos = 0
  while (pos < end) {
    const tag = smallVarint(buf, pos, end)
    if (tag < 8) return undefined
    pos = varintEnd
    const wt = (tag & 7) as WireType
    if (wt === WireType.LengthDelimited) {
      const len = smallVarint(buf, pos, end)
      if (len < 0 || varintEnd + len > end) return undefined
      pos = varintEnd + len
      if (tag >>> 3 === 1) {
        if (items === null || raw === null) continue
        const item = quickItem(buf, raw, varintEnd, pos)
        if (item === undefined) return undefined
        items.push(item)
      } else if (tag >>> 3 === 2) {
        const num = quickStepNumber(buf, varintEnd, pos)
        if (num === undefined) return undefined
        step = num
      }
    } else {
      pos = skipScalar(buf, pos, end, wt)
      if (pos < 0) return undefined
    }
  }
  return step
}

/** `HistoryItem`, `SummaryItem`, `ConfigItem`, `StatsItem` in `buf[start, end)`: key 1, nested_key 2, value_json 16. */
export function quickItem(buf: Uint8Array, raw: RawBuffer, start: number, end: number): KeyValue | undefined {
  let key = ''
  let nested: string[] | null = null
  let valueJson = ''
  let pos = start
  while (pos < end) {
    const tag = smallVarint(buf, pos, end)
    if (tag < 8) return undefined
    pos = varintEnd
    const wt = (tag & 7) as WireType
    if (wt === WireType.LengthDelimited) {
      const len = smallVarint(buf, pos, end)
      if (len < 0 || varintEnd + len > end) return undefined
      const s = varintEnd
      pos = s + len
      const no = tag >>> 3
      if (no === 1) key = text(buf, raw, s, pos)
      else if (no === 2) (nested ??= []).push(text(buf, raw, s, pos))
      else if (no === 16) valueJson = text(buf, raw, s, pos)
    } else {
      pos = skipScalar(buf, pos, end, wt)
      if (pos < 0) return undefined
    }
  }
  return {key: nested && nested.length > 0 ? nested.join('.') : key, valueJson}
}

function text(buf: Uint8Array, raw: RawBuffer, start: number, end: number): string {
  for (let i = start; i < end; i++) if (buf[i] > 0x7f) return utf8.decode(buf.subarray(start, end))
  return raw.latin1Slice(start, end)
}

/** `decodeStepMessage` for steps of up to 49 bits; undefined for the rest. */
function quickStepNumber(buf: Uint8Array, start: number, end: number): number | null | undefined {
  let num: number | null = null
  let pos = start
  while (pos < end) {
    const tag = smallVarint(buf, pos, end)
    if (tag < 8) return undefined
    pos = varintEnd
    if (tag === 8) {
      let value = 0
      let scale = 1
      let b: number
      do {
        if (pos >= end || scale > 2 ** 42) return undefined
        b = buf[pos++]
        value += (b & 0x7f) * scale
        scale *= 128
      } while (b & 0x80)
      num = value
    } else if (((tag & 7) as WireType) === WireType.LengthDelimited) {
      const len = smallVarint(buf, pos, end)
      if (len < 0 || varintEnd + len > end) return undefined
      pos = varintEnd + len
    } else {
      pos = skipScalar(buf, pos, end, tag & 7)
      if (pos < 0) return undefined
    }
  }
  return num
}

/** Where `smallVarint` stopped. */
let varintEnd = 0

/** A varint of at most 4 bytes (28 bits) at `pos`, its end in `varintEnd`; -1 when longer or cut off. */
function smallVarint(buf: Uint8Array, pos: number, end: number): number {
  let value = 0
  for (let shift = 0; shift < 28; shift += 7) {
    if (pos >= end) return -1
    const b = buf[pos++]
    value |= (b & 0x7f) << shift
    if ((b & 0x80) === 0) {
      varintEnd = pos
      return value
    }
  }
  return -1
}

/** The end of a varint, 64-bit or 32-bit value at `pos`; -1 for other wire types or when cut off. */
function skipScalar(buf: Uint8Array, pos: number, end: number, wt: WireType): number {
  if (wt === WireType.Varint) {
    for (let i = 0; i < 10; i++) {
      if (pos >= end) return -1
      if ((buf[pos++] & 0x80) === 0) return pos
    }
    return -1
  }
  if (wt === WireType.Bit64) return pos + 8 <= end ? pos + 8 : -1
  if (wt === WireType.Bit32) return pos + 4 <= end ? pos + 4 : -1
  return -1
}
