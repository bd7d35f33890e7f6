/** Checks shared by the writer and container/damage tests: an independent walk of a file's chunks (not a test file). */
import {createHash} from 'node:crypto'
import {mkdtempSync, readdirSync, readFileSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {expect} from 'vitest'
import {type ContainerScan, scanRecords} from '../../src/readers/wandb/log-container.js'
import {dispatchRecord} from '../../src/readers/wandb/record-decoder.js'
import type {RecordVisitor} from '../../src/readers/wandb/records.js'

export const CORPUS = fileURLToPath(new URL('../fixtures/corpus', import.meta.url))
export const BLOCK = 32768

/** A clean real run: 9 blocks, 121 history records, 8 records split FIRST/LAST at block ends. */
export const CLEAN_RUN = join(CORPUS, 'alpaca__run-20231106_034002-m84hjf9m', 'run-m84hjf9m.wandb')

export function corpusFiles(): string[] {
  const out: string[] = []
  for (const dir of readdirSync(CORPUS, {withFileTypes: true})) {
    if (!dir.isDirectory()) continue
    for (const f of readdirSync(join(CORPUS, dir.name))) if (f.endsWith('.wandb')) out.push(join(CORPUS, dir.name, f))
  }
  return out.sort()
}

const dirs: string[] = []
/** A fresh temp dir, removed by `cleanupTempDirs`. */
export function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'runlog-test-'))
  dirs.push(d)
  return d
}
export function cleanupTempDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, {recursive: true, force: true})
}

export interface Chunk {
  start: number
  end: number
  type: number
  payload: Buffer
}
export interface WalkedRecord {
  /** Offset of its first chunk header. */
  start: number
  /** Offset just past its last chunk. */
  end: number
  chunks: Chunk[]
  payload: Buffer
}

/**
 * An independent, simple walk of an intact `.wandb` file (no damage handling), blocks starting at `blockOrigin` + k·32768:
 * the chunks and the records they make, with their byte offsets. Stops at the end of the data.
 */
export function walkIntact(bytes: Buffer, blockOrigin = 0): {chunks: Chunk[]; records: WalkedRecord[]} {
  const chunks: Chunk[] = []
  const records: WalkedRecord[] = []
  let open: Chunk[] = []
  let pos = 7
  while (pos < bytes.length) {
    const left = BLOCK - ((pos - blockOrigin) % BLOCK)
    if (left < 7) {
      pos += left
      continue
    }
    if (pos + 7 > bytes.length) throw new Error(`torn chunk header at ${pos}`)
    const length = bytes.readUInt16LE(pos + 4)
    const type = bytes[pos + 6]
    if (type < 1 || type > 4) throw new Error(`bad chunk type ${type} at ${pos}`)
    if (pos + 7 + length > bytes.length) throw new Error(`torn chunk at ${pos}`)
    const c = {start: pos, end: pos + 7 + length, type, payload: bytes.subarray(pos + 7, pos + 7 + length)}
    chunks.push(c)
    open.push(c)
    if (type === 1 || type === 4) {
      records.push({start: open[0].start, end: c.end, chunks: open, payload: Buffer.concat(open.map((o) => o.payload))})
      open = []
    }
    pos = c.end
  }
  if (open.length > 0) throw new Error('file ends inside a record')
  return {chunks, records}
}

export type Decoded = {kind: string; value: unknown}

/** A visitor that records everything it is given, in order. */
export function collectingVisitor(out: Decoded[]): RecordVisitor {
  const push = (kind: string) => (value: unknown) => out.push({kind, value})
  return {
    history: push('history'),
    summary: push('summary'),
    config: push('config'),
    output: push('output'),
    stats: push('stats'),
    exit: push('exit'),
    run: push('run'),
    header: push('header'),
    telemetry: push('telemetry'),
    metric: push('metric'),
    files: push('files'),
  }
}

export interface ReadBack {
  scan: ContainerScan
  /** Copies of the record payloads, in order. */
  payloads: Buffer[]
  decoded: Decoded[]
  /** Steps of the history records, in order. */
  steps: number[]
  /** Payloads that were not valid protobuf. */
  undecodable: number
}

/** Reads a file with the real reader (`scanRecords` + `dispatchRecord`). */
export function readBack(file: string): ReadBack {
  const payloads: Buffer[] = []
  const decoded: Decoded[] = []
  let undecodable = 0
  const visitor = collectingVisitor(decoded)
  const scan = scanRecords(file, (p) => {
    payloads.push(Buffer.from(p))
    if (!dispatchRecord(p, visitor)) undecodable++
  })
  const steps = decoded.filter((d) => d.kind === 'history').map((d) => (d.value as {step: number}).step)
  return {scan, payloads, decoded, steps, undecodable}
}

/** `readBack`, asserting the file's bytes and mtime are the same afterwards. */
export function readBackUnchanged(file: string): ReadBack {
  const before = statSync(file)
  const hash = sha(readFileSync(file))
  try {
    return readBack(file)
  } finally {
    const after = statSync(file)
    expect(after.mtimeMs).toBe(before.mtimeMs)
    expect(after.size).toBe(before.size)
    expect(sha(readFileSync(file))).toBe(hash)
  }
}

function sha(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex')
}

/** Steps of the history records among walked records (decoded with the real decoder, one record at a time). */
export function historySteps(records: WalkedRecord[]): number[] {
  const steps: number[] = []
  for (const r of records) dispatchRecord(r.payload, {historyStep: (s) => steps.push(s)})
  return steps
}
