import {BinaryReader, WireType} from '@bufbuild/protobuf/wire'
import {
  type ExitRecord,
  type FilesRecord,
  type HeaderRecord,
  type HistoryRecord,
  type KeyValue,
  type MetricRecord,
  type OutputRecord,
  RecordField,
  type RecordVisitor,
  type RunRecord,
  type StatsRecord,
  type SummaryRecord,
  type TelemetryRecord,
} from './records.js'
import {quickHistory, quickHistoryStep} from './history-scan.js'

/** Only record types with a callback are decoded. False when the payload is not valid protobuf (counted as damage). */
export function dispatchRecord(payload: Uint8Array, v: RecordVisitor): boolean {
  // Records nobody asked for (most of a log is console output) cost no view and no BinaryReader; the messages that
  // are wanted are decoded with @bufbuild/protobuf.
  try {
    const end = payload.length
    let pos = 0
    while (pos < end) {
      pos = nextField(payload, pos, end)
      if (pos < 0) return false
      const no = fieldNo
      if (no < DECODED.length && DECODED[no] === 1 && wanted(no, v)) {
        if (!dispatchField(no, payload.subarray(bodyStart, pos), v)) return false
      }
    }
    return pos === end
  } catch {
    return false
  }
}

/** Hands the body of record field `no` to its callback; false when the callback finds it invalid. */
function dispatchField(no: number, body: Uint8Array, v: RecordVisitor): boolean {
  switch (no) {
    case RecordField.history:
      if (v.history) v.history(decodeHistory(body))
      else if (v.historyStep) v.historyStep(decodeHistoryStep(body))
      break
    case RecordField.summary:
      if (v.summary) v.summary(decodeUpdates(body, v.summaryKeys))
      break
    case RecordField.config:
      if (v.config) v.config(decodeUpdates(body))
      break
    case RecordField.output:
    case RecordField.outputRaw:
      if (v.output) v.output(decodeOutput(body))
      else if (v.outputBytes && !v.outputBytes(body)) return false
      break
    case RecordField.stats:
      if (v.stats) v.stats(decodeStats(body))
      break
    case RecordField.exit:
      if (v.exit) v.exit(decodeExit(body))
      break
    case RecordField.run:
      if (v.run) v.run(decodeRun(body))
      break
    case RecordField.header:
      if (v.header) v.header(decodeHeader(body))
      break
    case RecordField.telemetry:
      if (v.telemetry) v.telemetry(decodeTelemetry(body))
      break
    case RecordField.metric:
      if (v.metric) v.metric(decodeMetric(body))
      break
    case RecordField.files:
      if (v.files) v.files(decodeFiles(body))
      break
    default:
  }
  return true
}

/** For `scanRecords`' `skip`: true only when `dispatchRecord` would do nothing but return true (invalid is counted). */
export function skipsUnwanted(v: RecordVisitor): (bytes: Uint8Array, start: number, end: number) => boolean {
  const wantedHere = new Uint8Array(DECODED.length)
  for (let no = 0; no < DECODED.length; no++) wantedHere[no] = wanted(no, v) ? 1 : 0
  return (bytes, start, end) => {
    let pos = start
    while (pos < end) {
      pos = nextField(bytes, pos, end)
      if (pos < 0 || (fieldNo < wantedHere.length && wantedHere[fieldNo] === 1)) return false
    }
    return pos === end
  }
}

/** 1 for the field numbers of the record types runlog decodes (a lookup is cheaper than a call per field). */
const DECODED = (() => {
  const t = new Uint8Array(Math.max(...Object.values(RecordField)) + 1)
  for (const no of Object.values(RecordField)) t[no] = 1
  return t
})()

/** Set by `nextField`: the number of the length-delimited field it passed (0 for other kinds), and its body start. */
let fieldNo = 0
let bodyStart = 0

/**
 * Passes one top-level field of the protobuf message ending at `end` with a minimal tag/length scan (a Record holds
 * messages in length-delimited fields only): the position after it (past `end` when a fixed-size value is cut off,
 * so the message ends unevenly), or -1 when the field is malformed. The one walker of `dispatchRecord` and
 * `skipsUnwanted`.
 */
function nextField(bytes: Uint8Array, pos: number, end: number): number {
  let tag = 0
  let shift = 0
  let b: number
  do {
    if (pos >= end) return -1
    b = bytes[pos++]
    tag |= (b & 0x7f) << shift
    shift += 7
  } while (b & 0x80 && shift < 35)
  const wt = (tag & 7) as WireType
  fieldNo = 0
  if (wt === WireType.Varint) {
    while (pos < end && bytes[pos++] & 0x80);
    return pos
  }
  if (wt === WireType.Bit64) return pos + 8
  if (wt === WireType.Bit32) return pos + 4
  if (wt !== WireType.LengthDelimited) return -1
  let size = 0
  shift = 0
  do {
    if (pos >= end) return -1
    b = bytes[pos++]
    size += (b & 0x7f) * 2 ** shift
    shift += 7
  } while (b & 0x80 && shift < 49)
  if (pos + size > end) return -1
  fieldNo = tag >>> 3
  bodyStart = pos
  return pos + size
}

function wanted(no: number, v: RecordVisitor): boolean {
  switch (no) {
    case RecordField.history:
      return Boolean(v.history || v.historyStep)
    case RecordField.summary:
      return Boolean(v.summary)
    case RecordField.config:
      return Boolean(v.config)
    case RecordField.output:
    case RecordField.outputRaw:
      return Boolean(v.output || v.outputBytes)
    case RecordField.stats:
      return Boolean(v.stats)
    case RecordField.exit:
      return Boolean(v.exit)
    case RecordField.run:
      return Boolean(v.run)
    case RecordField.header:
      return Boolean(v.header)
    case RecordField.telemetry:
      return Boolean(v.telemetry)
    case RecordField.metric:
      return Boolean(v.metric)
    case RecordField.files:
      return Boolean(v.files)
    default:
      return false
  }
}

function toNumber(v: bigint | string | number): number {
  return typeof v === 'number' ? v : Number(v)
}

/** `HistoryItem`, `SummaryItem`, `ConfigItem`, `StatsItem`: key 1, nested_key 2, value_json 16. */
function decodeItem(buf: Uint8Array): KeyValue {
  const r = new BinaryReader(buf)
  let key = ''
  let nested: string[] | null = null
  let valueJson = ''
  while (r.pos < r.len) {
    const [no, wt] = r.tag()
    if (no === 1 && wt === WireType.LengthDelimited) key = r.string()
    else if (no === 2 && wt === WireType.LengthDelimited) (nested ??= []).push(r.string())
    else if (no === 16 && wt === WireType.LengthDelimited) valueJson = r.string()
    else r.skip(wt, no)
  }
  return {key: nested && nested.length > 0 ? nested.join('.') : key, valueJson}
}

/** Reads a `HistoryStep { int64 num = 1 }`: its number, or null when it has none. */
function decodeStepMessage(buf: Uint8Array): number | null {
  const r = new BinaryReader(buf)
  let num: number | null = null
  while (r.pos < r.len) {
    const [no, wt] = r.tag()
    if (no === 1 && wt === WireType.Varint) num = toNumber(r.int64())
    else r.skip(wt, no)
  }
  return num
}

/** TensorBoard-synced runs number history only by `_step`; wandb's own reader places such a record at it. */
function stepItem(items: readonly KeyValue[]): number | null {
  for (let i = items.length - 1; i >= 0; i--) {
    if (items[i].key !== '_step') continue
    const n = Number(items[i].valueJson)
    return Number.isSafeInteger(n) ? n : null
  }
  return null
}

export function decodeHistory(buf: Uint8Array): HistoryRecord {
  return quickHistory(buf, stepItem) ?? fullHistory(buf)
}

function fullHistory(buf: Uint8Array): HistoryRecord {
  const r = new BinaryReader(buf)
  const items: KeyValue[] = []
  let step: number | null = null
  while (r.pos < r.len) {
    const [no, wt] = r.tag()
    if (no === 1 && wt === WireType.LengthDelimited) items.push(decodeItem(r.bytes()))
    else if (no === 2 && wt === WireType.LengthDelimited) step = decodeStepMessage(r.bytes())
    else r.skip(wt, no)
  }
  return {step: step ?? stepItem(items) ?? 0, items}
}

function decodeHistoryStep(buf: Uint8Array): number {
  return quickHistoryStep(buf) ?? fullHistoryStep(buf)
}

function fullHistoryStep(buf: Uint8Array): number {
  const r = new BinaryReader(buf)
  let step: number | null = null
  while (r.pos < r.len) {
    const [no, wt] = r.tag()
    if (no === 2 && wt === WireType.LengthDelimited) step = decodeStepMessage(r.bytes())
    else r.skip(wt, no)
  }
  // Only a record without a step number has its items decoded (step 0 of an ordinary run, or a TensorBoard-synced run).
  return step ?? decodeHistory(buf).step
}

/** A `SummaryRecord` or a `ConfigRecord` (one shape). `keys`: only items with these top-level keys are decoded. */
function decodeUpdates(buf: Uint8Array, keys?: ReadonlySet<string>): SummaryRecord {
  const r = new BinaryReader(buf)
  const update: KeyValue[] = []
  const remove: string[] = []
  const firstBytes = keys ? firstBytesOf(keys) : null
  while (r.pos < r.len) {
    const [no, wt] = r.tag()
    if ((no === 1 || no === 2) && wt === WireType.LengthDelimited) {
      const body = r.bytes()
      if (firstBytes && !mayHaveKey(body, firstBytes)) continue
      const item = decodeItem(body)
      if (keys && !keys.has(item.key)) continue
      if (no === 1) update.push(item)
      else remove.push(item.key)
    } else r.skip(wt, no)
  }
  return {update, remove}
}

const firstBytesCache = new WeakMap<ReadonlySet<string>, ReadonlySet<number>>()

function firstBytesOf(keys: ReadonlySet<string>): ReadonlySet<number> {
  let bytes = firstBytesCache.get(keys)
  if (!bytes) firstBytesCache.set(keys, (bytes = new Set([...keys].map((k) => Buffer.from(k, 'utf8')[0]))))
  return bytes
}

/** Judged from the key's first byte, so most summary items are skipped without decoding a string. */
function mayHaveKey(item: Uint8Array, firstBytes: ReadonlySet<number>): boolean {
  // field 1, length-delimited: tag byte 0x0a, then a varint length, then the key's first byte.
  if (item.length < 3 || item[0] !== 0x0a) return true
  let pos = 1
  while (pos < item.length && item[pos] & 0x80) pos++
  pos++
  return pos >= item.length || firstBytes.has(item[pos])
}

/** `google.protobuf.Timestamp` → Unix seconds. */
function decodeTimestamp(buf: Uint8Array): number {
  const r = new BinaryReader(buf)
  let seconds = 0
  let nanos = 0
  while (r.pos < r.len) {
    const [no, wt] = r.tag()
    if (no === 1 && wt === WireType.Varint) seconds = toNumber(r.int64())
    else if (no === 2 && wt === WireType.Varint) nanos = r.int32()
    else r.skip(wt, no)
  }
  return seconds + nanos / 1e9
}

function decodeOutput(buf: Uint8Array): OutputRecord {
  const r = new BinaryReader(buf)
  let type = 0
  let timestamp: number | null = null
  let text = ''
  while (r.pos < r.len) {
    const [no, wt] = r.tag()
    if (no === 1 && wt === WireType.Varint) type = r.int32()
    else if (no === 2 && wt === WireType.LengthDelimited) timestamp = decodeTimestamp(r.bytes())
    else if (no === 3 && wt === WireType.LengthDelimited) text = r.string()
    else r.skip(wt, no)
  }
  return {stream: type === 1 ? 'stdout' : 'stderr', timestamp, text}
}

function decodeStats(buf: Uint8Array): StatsRecord {
  const r = new BinaryReader(buf)
  let timestamp: number | null = null
  const items: KeyValue[] = []
  while (r.pos < r.len) {
    const [no, wt] = r.tag()
    if (no === 2 && wt === WireType.LengthDelimited) timestamp = decodeTimestamp(r.bytes())
    else if (no === 3 && wt === WireType.LengthDelimited) items.push(decodeItem(r.bytes()))
    else r.skip(wt, no)
  }
  return {timestamp, items}
}

function decodeExit(buf: Uint8Array): ExitRecord {
  const r = new BinaryReader(buf)
  let exitCode = 0
  let runtime = 0
  while (r.pos < r.len) {
    const [no, wt] = r.tag()
    if (no === 1 && wt === WireType.Varint) exitCode = r.int32()
    else if (no === 2 && wt === WireType.Varint) runtime = r.int32()
    else r.skip(wt, no)
  }
  return {exitCode, runtime}
}

function decodeRun(buf: Uint8Array): RunRecord {
  const r = new BinaryReader(buf)
  const run: RunRecord = {
    runId: '',
    entity: '',
    project: '',
    displayName: '',
    group: '',
    jobType: '',
    notes: '',
    tags: [],
    host: '',
    sweepId: '',
    startingStep: 0,
    startTime: null,
    resumed: false,
    runtime: 0,
    config: [],
  }
  while (r.pos < r.len) {
    const [no, wt] = r.tag()
    const ld = wt === WireType.LengthDelimited
    if (no === 1 && ld) run.runId = r.string()
    else if (no === 2 && ld) run.entity = r.string()
    else if (no === 3 && ld) run.project = r.string()
    else if (no === 4 && ld) run.config = decodeUpdates(r.bytes()).update
    else if (no === 6 && ld) run.group = r.string()
    else if (no === 7 && ld) run.jobType = r.string()
    else if (no === 8 && ld) run.displayName = r.string()
    else if (no === 9 && ld) run.notes = r.string()
    else if (no === 10 && ld) run.tags.push(r.string())
    else if (no === 12 && ld) run.sweepId = r.string()
    else if (no === 13 && ld) run.host = r.string()
    else if (no === 14 && wt === WireType.Varint) run.startingStep = toNumber(r.int64())
    else if (no === 17 && ld) run.startTime = decodeTimestamp(r.bytes())
    else if (no === 18 && wt === WireType.Varint) run.resumed = r.bool()
    else if (no === 20 && wt === WireType.Varint) run.runtime = r.int32()
    else r.skip(wt, no)
  }
  return run
}

function decodeHeader(buf: Uint8Array): HeaderRecord {
  const r = new BinaryReader(buf)
  const out: HeaderRecord = {producer: '', minConsumer: ''}
  while (r.pos < r.len) {
    const [no, wt] = r.tag()
    if (no === 1 && wt === WireType.LengthDelimited) {
      const v = new BinaryReader(r.bytes())
      while (v.pos < v.len) {
        const [vn, vw] = v.tag()
        if (vn === 1 && vw === WireType.LengthDelimited) out.producer = v.string()
        else if (vn === 2 && vw === WireType.LengthDelimited) out.minConsumer = v.string()
        else v.skip(vw, vn)
      }
    } else r.skip(wt, no)
  }
  return out
}

function decodeTelemetry(buf: Uint8Array): TelemetryRecord {
  const r = new BinaryReader(buf)
  const out: TelemetryRecord = {pythonVersion: '', cliVersion: ''}
  while (r.pos < r.len) {
    const [no, wt] = r.tag()
    if (no === 4 && wt === WireType.LengthDelimited) out.pythonVersion = r.string()
    else if (no === 5 && wt === WireType.LengthDelimited) out.cliVersion = r.string()
    else r.skip(wt, no)
  }
  return out
}

function decodeMetric(buf: Uint8Array): MetricRecord {
  const r = new BinaryReader(buf)
  const out: MetricRecord = {name: '', globName: '', stepMetric: ''}
  while (r.pos < r.len) {
    const [no, wt] = r.tag()
    if (no === 1 && wt === WireType.LengthDelimited) out.name = r.string()
    else if (no === 2 && wt === WireType.LengthDelimited) out.globName = r.string()
    else if (no === 4 && wt === WireType.LengthDelimited) out.stepMetric = r.string()
    else r.skip(wt, no)
  }
  return out
}

/** `FilesRecord { repeated FilesItem files = 1 }`, `FilesItem { string path = 1 }`. */
function decodeFiles(buf: Uint8Array): FilesRecord {
  const r = new BinaryReader(buf)
  const paths: string[] = []
  while (r.pos < r.len) {
    const [no, wt] = r.tag()
    if (no === 1 && wt === WireType.LengthDelimited) {
      const f = new BinaryReader(r.bytes())
      while (f.pos < f.len) {
        const [fn, fw] = f.tag()
        if (fn === 1 && fw === WireType.LengthDelimited) paths.push(f.string())
        else f.skip(fw, fn)
      }
    } else r.skip(wt, no)
  }
  return {paths}
}
