/**
 * History records read by the plain field scan (`history`, and `historyStep`: the step alone, its items passed over)
 * against a reference written here with @bufbuild/protobuf's reader, on well-formed, unusual and damaged records alike.
 */
import {BinaryReader, BinaryWriter, WireType} from '@bufbuild/protobuf/wire'
import {describe, expect, it} from 'vitest'
import {dispatchRecord} from '../../../src/readers/wandb/record-decoder.js'
import type {HistoryRecord, KeyValue} from '../../../src/readers/wandb/records.js'

/** Deterministic pseudo-random numbers (the cases must be the same on every run). */
function random(seed: number): () => number {
  let x = seed >>> 0
  return () => {
    x = (x * 1103515245 + 12345) >>> 0
    return x >>> 8
  }
}

/** A Record holding `body` as its history field (2), after a `num` (1). */
function record(body: Uint8Array): Uint8Array {
  return new BinaryWriter().tag(1, WireType.Varint).int64(7).tag(2, WireType.LengthDelimited).bytes(body).finish()
}

/** A step message's number, read with BinaryReader: its last field 1 varint, null without one. */
function stepNumber(buf: Uint8Array): number | null {
  const s = new BinaryReader(buf)
  let num: number | null = null
  while (s.pos < s.len) {
    const [m, x] = s.tag()
    if (m === 1 && x === WireType.Varint) num = Number(s.int64())
    else s.skip(x, m)
  }
  return num
}

/** The reference: every field read with BinaryReader, the last step message's last number; else the items' `_step`. */
function reference(rec: Uint8Array): {ok: boolean; step: number | null} {
  let fromItems: number | null = null
  const okItems = dispatchRecord(rec, {history: (h) => (fromItems = h.step)})
  try {
    const outer = new BinaryReader(rec)
    let step: number | null = null
    while (outer.pos < outer.len) {
      const [no, wt] = outer.tag()
      if (no !== 2 || wt !== WireType.LengthDelimited) {
        outer.skip(wt, no)
        continue
      }
      const r = new BinaryReader(outer.bytes())
      while (r.pos < r.len) {
        const [n, w] = r.tag()
        if (n !== 2 || w !== WireType.LengthDelimited) {
          r.skip(w, n)
          continue
        }
        step = stepNumber(r.bytes())
      }
    }
    if (step !== null) return {ok: true, step}
    return okItems ? {ok: true, step: fromItems} : {ok: false, step: null}
  } catch {
    return {ok: false, step: null}
  }
}

/** The reference for whole records: every item's key (or nested keys joined), value and the step, as before. */
function referenceHistory(rec: Uint8Array): {ok: boolean; record: HistoryRecord | null} {
  const item = (buf: Uint8Array): KeyValue => {
    const r = new BinaryReader(buf)
    let key = ''
    const nested: string[] = []
    let valueJson = ''
    while (r.pos < r.len) {
      const [no, wt] = r.tag()
      if (no === 1 && wt === WireType.LengthDelimited) key = r.string()
      else if (no === 2 && wt === WireType.LengthDelimited) nested.push(r.string())
      else if (no === 16 && wt === WireType.LengthDelimited) valueJson = r.string()
      else r.skip(wt, no)
    }
    return {key: nested.length > 0 ? nested.join('.') : key, valueJson}
  }
  try {
    const outer = new BinaryReader(rec)
    let record: HistoryRecord | null = null
    while (outer.pos < outer.len) {
      const [no, wt] = outer.tag()
      if (no !== 2 || wt !== WireType.LengthDelimited) {
        outer.skip(wt, no)
        continue
      }
      const r = new BinaryReader(outer.bytes())
      const items: KeyValue[] = []
      let step: number | null = null
      while (r.pos < r.len) {
        const [n, w] = r.tag()
        if (n === 1 && w === WireType.LengthDelimited) items.push(item(r.bytes()))
        else if (n === 2 && w === WireType.LengthDelimited) step = stepNumber(r.bytes())
        else r.skip(w, n)
      }
      let fromItems: number | null = null
      for (let i = items.length - 1; i >= 0 && fromItems === null; i--) {
        if (items[i].key !== '_step') continue
        const v = Number(items[i].valueJson)
        fromItems = Number.isSafeInteger(v) ? v : null
        break
      }
      record = {step: step ?? fromItems ?? 0, items}
    }
    return {ok: true, record}
  } catch {
    return {ok: false, record: null}
  }
}

function viaHistory(rec: Uint8Array): {ok: boolean; record: HistoryRecord | null} {
  let record: HistoryRecord | null = null
  const ok = dispatchRecord(rec, {history: (h) => (record = h)})
  return ok ? {ok, record} : {ok, record: null}
}

function viaHistoryStep(rec: Uint8Array): {ok: boolean; step: number | null} {
  let step: number | null = null
  const ok = dispatchRecord(rec, {historyStep: (s) => (step = s)})
  return ok ? {ok, step} : {ok, step: null}
}

const KEYS = ['_step', 'loss', 'a', '准确率', '\ufeffbom', 'x'.repeat(300)]
/** Values as raw bytes: non-ASCII text, a byte-order mark, invalid UTF-8 (replaced, as the reference does). */
const RAW_VALUES = [
  Buffer.from('"ünïcode ✓"'),
  Buffer.from('\ufeff1.5'),
  Uint8Array.of(0x22, 0xff, 0xfe, 0x22),
  Uint8Array.of(0xe6, 0x97),
  Buffer.from('NaN'),
]

const STEPS = [0, 1, 127, 128, 300, 2 ** 28, 2 ** 42 - 1, 2 ** 49 - 1, 2 ** 49, 2 ** 53 - 1, -1, -300]

/** A random history body: items, step messages (sizes of every varint length), scalars, now and then a group. */
function body(rand: () => number): Uint8Array {
  const w = new BinaryWriter()
  const fields = rand() % 6
  for (let f = 0; f < fields; f++) {
    const kind = rand() % 10
    if (kind < 4) {
      const item = new BinaryWriter()
      if (rand() % 8 !== 0) item.tag(1, WireType.LengthDelimited).string(KEYS[rand() % KEYS.length])
      if (rand() % 6 === 0) for (const k of ['a', 'ümlaut', '']) item.tag(2, WireType.LengthDelimited).string(k)
      if (rand() % 10 === 0) item.tag(7, WireType.Varint).uint32(rand())
      if (rand() % 3 !== 0) item.tag(16, WireType.LengthDelimited).string(String(rand() % 1000))
      else if (rand() % 2) item.tag(16, WireType.LengthDelimited).bytes(RAW_VALUES[rand() % RAW_VALUES.length])
      w.tag(1, WireType.LengthDelimited).bytes(item.finish())
    } else if (kind < 7) {
      const s = new BinaryWriter()
      if (rand() % 5 !== 0) s.tag(1, WireType.Varint).int64(STEPS[rand() % STEPS.length])
      if (rand() % 4 === 0) s.tag(3, WireType.Bit32).fixed32(rand())
      if (rand() % 6 === 0) s.tag(1, WireType.Varint).int64(rand() % 1000)
      w.tag(2, WireType.LengthDelimited).bytes(s.finish())
    } else if (kind === 7) w.tag(3 + (rand() % 3), WireType.Varint).uint64(rand() * 2 ** 20)
    else if (kind === 8) w.tag(5, rand() % 2 ? WireType.Bit64 : WireType.Bit32)[rand() % 2 ? 'fixed64' : 'fixed32'](5)
    else w.tag(6, WireType.StartGroup).tag(6, WireType.EndGroup)
  }
  return w.finish()
}

describe('history records by the plain scan', () => {
  it('historyStep: agrees with the reference on well-formed records of every shape', () => {
    const rand = random(1)
    let withStep = 0
    for (let t = 0; t < 3000; t++) {
      const rec = record(body(rand))
      const want = reference(rec)
      expect(viaHistoryStep(rec), `case ${t}`).toEqual(want)
      if (want.ok && want.step !== null) withStep++
    }
    expect(withStep).toBeGreaterThan(1000)
  })

  it('historyStep: agrees with the reference on damaged records (cut short, one byte changed)', () => {
    const rand = random(2)
    for (let t = 0; t < 3000; t++) {
      const b = body(rand)
      if (b.length === 0) continue
      const damaged = Uint8Array.from(b)
      if (t % 2 === 0) damaged[rand() % damaged.length] = rand() & 255
      const rec = record(t % 2 === 0 ? damaged : damaged.subarray(0, rand() % damaged.length))
      expect(viaHistoryStep(rec), `case ${t}`).toEqual(reference(rec))
    }
  })

  it('history: agrees with the reference on well-formed and damaged records, items and all', () => {
    const rand = random(3)
    let items = 0
    for (let t = 0; t < 4000; t++) {
      const b = body(rand)
      let rec = record(b)
      if (t % 3 === 1 && b.length > 0) {
        const damaged = Uint8Array.from(b)
        damaged[rand() % damaged.length] = rand() & 255
        rec = record(damaged)
      } else if (t % 3 === 2 && b.length > 0) rec = record(b.subarray(0, rand() % b.length))
      const want = referenceHistory(rec)
      expect(viaHistory(rec), `case ${t}`).toEqual(want)
      items += want.record?.items.length ?? 0
    }
    expect(items).toBeGreaterThan(1000)
  })

  it('reads steps of every varint length exactly, negative ones included', () => {
    for (const step of STEPS) {
      const s = new BinaryWriter().tag(1, WireType.Varint).int64(step).finish()
      const rec = record(new BinaryWriter().tag(2, WireType.LengthDelimited).bytes(s).finish())
      expect(viaHistoryStep(rec)).toEqual({ok: true, step})
    }
  })
})
