/**
 * `historyStep` (the step of a history record, its items passed over) against a reference written here with
 * @bufbuild/protobuf's reader, on well-formed, unusual and damaged records alike.
 */
import {BinaryReader, BinaryWriter, WireType} from '@bufbuild/protobuf/wire'
import {describe, expect, it} from 'vitest'
import {dispatchRecord} from '../../../src/readers/wandb/record-decoder.js'

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
        const s = new BinaryReader(r.bytes())
        let num: number | null = null
        while (s.pos < s.len) {
          const [m, x] = s.tag()
          if (m === 1 && x === WireType.Varint) num = Number(s.int64())
          else s.skip(x, m)
        }
        step = num
      }
    }
    if (step !== null) return {ok: true, step}
    return okItems ? {ok: true, step: fromItems} : {ok: false, step: null}
  } catch {
    return {ok: false, step: null}
  }
}

function viaHistoryStep(rec: Uint8Array): {ok: boolean; step: number | null} {
  let step: number | null = null
  const ok = dispatchRecord(rec, {historyStep: (s) => (step = s)})
  return ok ? {ok, step} : {ok, step: null}
}

const STEPS = [0, 1, 127, 128, 300, 2 ** 28, 2 ** 42 - 1, 2 ** 49 - 1, 2 ** 49, 2 ** 53 - 1, -1, -300]

/** A random history body: items, step messages (sizes of every varint length), scalars, now and then a group. */
function body(rand: () => number): Uint8Array {
  const w = new BinaryWriter()
  const fields = rand() % 6
  for (let f = 0; f < fields; f++) {
    const kind = rand() % 10
    if (kind < 4) {
      const item = new BinaryWriter().tag(1, WireType.LengthDelimited).string(['_step', 'loss', 'a'][rand() % 3])
      item.tag(16, WireType.LengthDelimited).string(String(rand() % 1000))
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

describe('historyStep', () => {
  it('agrees with the reference on well-formed records of every shape', () => {
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

  it('agrees with the reference on damaged records (cut short, one byte changed)', () => {
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

  it('reads steps of every varint length exactly, negative ones included', () => {
    for (const step of STEPS) {
      const s = new BinaryWriter().tag(1, WireType.Varint).int64(step).finish()
      const rec = record(new BinaryWriter().tag(2, WireType.LengthDelimited).bytes(s).finish())
      expect(viaHistoryStep(rec)).toEqual({ok: true, step})
    }
  })
})
