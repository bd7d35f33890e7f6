import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {crc32} from 'node:zlib'
import {afterAll, describe, expect, it} from 'vitest'
import {scanRecords} from '../../src/readers/wandb/log-container.js'
import {dispatchRecord} from '../../src/readers/wandb/record-decoder.js'
import {historyRow} from '../../src/readers/wandb/history-row.js'
import type {HistoryRecord} from '../../src/readers/wandb/records.js'
import {encode, toValueJson, WandbWriter} from './wandb-writer.js'
import {BLOCK, CLEAN_RUN, cleanupTempDirs, corpusFiles, readBack, tempDir, walkIntact} from './container-checks.js'

afterAll(cleanupTempDirs)

/** A history record payload of exactly `size` bytes (a padded string value). */
function historyPayloadOfSize(step: number, size: number): Uint8Array {
  for (let keyLen = 1; keyLen <= 4; keyLen++) {
    for (let n = Math.max(0, size - 40); n <= size; n++) {
      const p = encode.history(step, {['k'.repeat(keyLen)]: 'x'.repeat(n)})
      if (p.length === size) return p
    }
  }
  throw new Error(`no payload of ${size} bytes`)
}

function write(name: string, fill: (w: WandbWriter) => void, options = {}): string {
  const file = join(tempDir(), name)
  const w = WandbWriter.open(file, options)
  fill(w)
  w.close()
  return file
}

describe('WandbWriter container', () => {
  it('writes the file header and a checksummed FULL chunk', () => {
    const file = write('a.wandb', (w) => w.history(3, {loss: 0.5}))
    const b = readFileSync(file)
    expect([...b.subarray(0, 7)]).toEqual([0x3a, 0x57, 0x26, 0x42, 0xe1, 0xbe, 0x00])
    const length = b.readUInt16LE(11)
    expect(b[13]).toBe(1)
    expect(b.length).toBe(14 + length)
    const payload = b.subarray(14)
    // CRC-32 (IEEE) of the type byte followed by the payload, computed in one pass over the concatenation.
    expect(b.readUInt32LE(7)).toBe(crc32(Buffer.concat([Buffer.of(1), payload])))
  })

  it('writes the version byte it is given', () => {
    const file = write('v1.wandb', (w) => w.exit(0, 1), {version: 1})
    expect(readFileSync(file)[6]).toBe(1)
    expect(readBack(file).scan.version).toBe(1)
  })

  it('a file with no records is the 7-byte header alone', () => {
    const file = write('empty.wandb', () => {})
    expect(readFileSync(file).length).toBe(7)
    const r = readBack(file)
    expect(r.payloads).toEqual([])
    expect(r.scan.damage).toMatchObject({unreadableBytes: 0, droppedRecords: 0, zeroTailBytes: 0})
  })

  it('an empty record is a zero-length FULL chunk', () => {
    const file = write('zero.wandb', (w) => w.writeRawRecord(new Uint8Array(0)))
    const b = readFileSync(file)
    expect(b.length).toBe(14)
    expect(b.readUInt16LE(11)).toBe(0)
    expect(b[13]).toBe(1)
    const r = readBack(file)
    expect(r.payloads.map((p) => p.length)).toEqual([0])
    expect(r.scan.damage.unreadableBytes).toBe(0)
  })

  it('splits a record bigger than a block into FIRST, MIDDLE, MIDDLE, LAST', () => {
    const big = 'y'.repeat(100_000)
    let span = {start: 0, end: 0, chunks: 0}
    const file = write('big.wandb', (w) => {
      w.history(0, {a: 1})
      span = w.history(1, {big})
      w.history(2, {a: 3})
    })
    const walked = walkIntact(readFileSync(file))
    expect(walked.chunks.map((c) => c.type)).toEqual([1, 2, 3, 3, 4, 1])
    expect(span.chunks).toBe(4)
    // FIRST fills block 0 to its end; the MIDDLE chunks fill whole blocks.
    expect(walked.chunks[1].end).toBe(BLOCK)
    expect(walked.chunks[2]).toMatchObject({start: BLOCK, end: 2 * BLOCK})
    expect(walked.chunks[3]).toMatchObject({start: 2 * BLOCK, end: 3 * BLOCK})
    expect(span).toEqual({start: walked.chunks[1].start, end: walked.chunks[4].end, chunks: 4})
    const r = readBack(file)
    expect(r.steps).toEqual([0, 1, 2])
    const rec = r.decoded.filter((d) => d.kind === 'history')[1].value as HistoryRecord
    expect(rec.items).toEqual([{key: 'big', valueJson: JSON.stringify(big)}])
    expect(r.scan.damage).toMatchObject({unreadableBytes: 0, droppedRecords: 0})
    expect(r.scan.endOffset).toBe(readFileSync(file).length)
  })

  it('a record ending exactly at the end of a block: the next starts the next block, no padding', () => {
    const p = historyPayloadOfSize(5, BLOCK - 14)
    const file = write('exact.wandb', (w) => {
      expect(w.writeRawRecord(p)).toEqual({start: 7, end: BLOCK, chunks: 1})
      w.history(6, {b: 2})
    })
    const walked = walkIntact(readFileSync(file))
    expect(walked.chunks.map((c) => [c.start, c.type])).toEqual([
      [7, 1],
      [BLOCK, 1],
    ])
    const r = readBack(file)
    expect(r.steps).toEqual([5, 6])
    expect(r.payloads[0].equals(Buffer.from(p))).toBe(true)
    expect(r.scan.damage).toMatchObject({unreadableBytes: 0, droppedRecords: 0, zeroTailBytes: 0})
  })

  it('exactly 7 bytes left in a block: a zero-length FIRST chunk, then LAST in the next block', () => {
    const file = write('seven.wandb', (w) => {
      w.writeRawRecord(historyPayloadOfSize(1, BLOCK - 21))
      w.history(2, {c: 'z'})
    })
    const walked = walkIntact(readFileSync(file))
    expect(walked.chunks.map((c) => [c.start, c.type, c.payload.length])).toEqual([
      [7, 1, BLOCK - 21],
      [BLOCK - 7, 2, 0],
      [BLOCK, 4, walked.chunks[2].payload.length],
    ])
    expect(readBack(file).steps).toEqual([1, 2])
  })

  it.each([1, 2, 3, 4, 5, 6])('%i byte(s) left in a block are zero padding', (left) => {
    const file = write(`pad${left}.wandb`, (w) => {
      w.writeRawRecord(historyPayloadOfSize(1, BLOCK - 14 - left))
      expect(w.blockRemaining).toBe(left)
      w.history(2, {d: true})
    })
    const b = readFileSync(file)
    expect([...b.subarray(BLOCK - left, BLOCK)]).toEqual(new Array(left).fill(0))
    expect(walkIntact(b).chunks.map((c) => [c.start, c.type])).toEqual([
      [7, 1],
      [BLOCK, 1],
    ])
    const r = readBack(file)
    expect(r.steps).toEqual([1, 2])
    expect(r.scan.damage).toMatchObject({unreadableBytes: 0, droppedRecords: 0, zeroTailBytes: 0})
  })

  it('writes the same bytes whatever the size of its output buffer', () => {
    const fill = (w: WandbWriter) => {
      for (let i = 0; i < 300; i++) {
        w.history(i, {v: 'q'.repeat((i * 7919) % 5000)})
        if (i % 50 === 0) w.output('stdout', 'z'.repeat(70_000))
      }
    }
    const a = readFileSync(write('buf-default.wandb', fill))
    const b = readFileSync(write('buf-small.wandb', fill, {bufferSize: 1}))
    expect(a.length).toBeGreaterThan(10 * BLOCK)
    expect(a.equals(b)).toBe(true)
  })
})

describe('WandbWriter records', () => {
  it('round-trips every record type through scanRecords + dispatchRecord', () => {
    const file = write('all.wandb', (w) => {
      w.header('0.21.1+abcdef', '0.40.0')
      w.run({
        runId: 'abc123',
        entity: 'me',
        project: 'proj',
        displayName: 'brave-run-1',
        startTime: 1700000000.25,
        tags: ['a', 'b'],
      })
      w.telemetry('0.21.1', '3.11.4')
      w.config({lr: 0.001, model: {name: 'qwen', layers: [1, 2]}})
      w.history(0, {
        'train/loss': 1.5,
        _step: 0,
        acc: NaN,
        up: Infinity,
        down: -Infinity,
        nested: {x: NaN},
        s: '评估 ✅',
      })
      w.history(7, {'train/loss': 1.25})
      w.summary({'train/loss': 1.25}, ['old'])
      w.output('stdout', '📍 Step 1/3\n', 1700000001.5)
      w.output('stderr', 'warn\n')
      w.output('stdout', 'legacy line\n', 1700000002, {legacy: true})
      w.stats(1700000003, {'gpu.0.gpu': 97.5, cpu: 12})
      w.exit(1, 42)
    })
    const r = readBack(file)
    expect(r.undecodable).toBe(0)
    expect(r.scan.damage).toMatchObject({unreadableBytes: 0, droppedRecords: 0, zeroTailBytes: 0})
    expect(r.decoded).toEqual([
      {kind: 'header', value: {producer: '0.21.1+abcdef', minConsumer: '0.40.0'}},
      {
        kind: 'run',
        value: expect.objectContaining({
          runId: 'abc123',
          entity: 'me',
          project: 'proj',
          displayName: 'brave-run-1',
          startTime: 1700000000.25,
          tags: ['a', 'b'],
        }),
      },
      {kind: 'telemetry', value: {pythonVersion: '3.11.4', cliVersion: '0.21.1'}},
      {
        kind: 'config',
        value: {
          update: [
            {key: 'lr', valueJson: '0.001'},
            {key: 'model', valueJson: '{"name": "qwen", "layers": [1, 2]}'},
          ],
          remove: [],
        },
      },
      {
        kind: 'history',
        value: {
          step: 0,
          items: [
            {key: 'train/loss', valueJson: '1.5'},
            {key: '_step', valueJson: '0'},
            {key: 'acc', valueJson: 'NaN'},
            {key: 'up', valueJson: 'Infinity'},
            {key: 'down', valueJson: '-Infinity'},
            {key: 'nested', valueJson: '{"x": NaN}'},
            {key: 's', valueJson: '"评估 ✅"'},
          ],
        },
      },
      {kind: 'history', value: {step: 7, items: [{key: 'train/loss', valueJson: '1.25'}]}},
      {kind: 'summary', value: {update: [{key: 'train/loss', valueJson: '1.25'}], remove: ['old']}},
      {kind: 'output', value: {stream: 'stdout', timestamp: 1700000001.5, text: '📍 Step 1/3\n'}},
      {kind: 'output', value: {stream: 'stderr', timestamp: null, text: 'warn\n'}},
      {kind: 'output', value: {stream: 'stdout', timestamp: 1700000002, text: 'legacy line\n'}},
      {
        kind: 'stats',
        value: {
          timestamp: 1700000003,
          items: [
            {key: 'gpu.0.gpu', valueJson: '97.5'},
            {key: 'cpu', valueJson: '12'},
          ],
        },
      },
      {kind: 'exit', value: {exitCode: 1, runtime: 42}},
    ])
  })

  it('puts console text in output_raw (13) records, or output (4) when legacy', () => {
    const raw = encode.output('stdout', 'x')
    const legacy = encode.output('stdout', 'x', undefined, true)
    // First byte of the Record is the tag of its oneof field: (field << 3) | 2.
    expect(raw[0]).toBe((13 << 3) | 2)
    expect(legacy[0]).toBe((4 << 3) | 2)
  })

  it('writes raw items (key or nested_key) as given', () => {
    const file = write('raw.wandb', (w) =>
      w.history(3, [
        {key: 'a', valueJson: '1.0'},
        {nestedKey: ['eval', 'acc'], valueJson: 'NaN'},
      ]),
    )
    const r = readBack(file)
    expect(r.decoded).toEqual([
      {
        kind: 'history',
        value: {
          step: 3,
          items: [
            {key: 'a', valueJson: '1.0'},
            {key: 'eval.acc', valueJson: 'NaN'},
          ],
        },
      },
    ])
  })

  it('encodes values as JSON with bare NaN/Infinity words', () => {
    expect(toValueJson(1)).toBe('1')
    expect(toValueJson(0.1)).toBe('0.1')
    expect(toValueJson(NaN)).toBe('NaN')
    expect(toValueJson([Infinity, -Infinity, null])).toBe('[Infinity, -Infinity, null]')
    expect(toValueJson({a: 'b"c'})).toBe('{"a": "b\\"c"}')
    expect(toValueJson(true)).toBe('true')
  })
})

describe('WandbWriter against real runs', () => {
  it('re-encoding the history of a real run with the encoders gives the same history', () => {
    const original: HistoryRecord[] = []
    const other: Uint8Array[] = []
    scanRecords(CLEAN_RUN, (p) => {
      let isHistory = false
      dispatchRecord(p, {history: (h) => ((isHistory = true), original.push(h))})
      if (!isHistory) other.push(Buffer.from(p))
    })
    expect(original.length).toBe(121)
    const file = write('reencoded.wandb', (w) => {
      for (const p of other.slice(0, 5)) w.writeRawRecord(p)
      for (const h of original)
        w.history(
          h.step,
          h.items.map((i) => ({key: i.key, valueJson: i.valueJson})),
        )
    })
    const again: HistoryRecord[] = []
    const scan = scanRecords(file, (p) => {
      dispatchRecord(p, {history: (h) => again.push(h)})
    })
    expect(scan.damage).toMatchObject({unreadableBytes: 0, droppedRecords: 0})
    expect(again).toEqual(original)
    expect(again.map(historyRow)).toEqual(original.map(historyRow))
  })

  it('re-framing the record payloads of every real run reproduces the file byte for byte', () => {
    const files = corpusFiles()
    expect(files.length).toBe(197)
    const dir = tempDir()
    for (const [i, src] of files.entries()) {
      const out = join(dir, `${i}.wandb`)
      const w = WandbWriter.open(out)
      const scan = scanRecords(src, (p) => w.writeRawRecord(p))
      w.close()
      const original = readFileSync(src).subarray(0, scan.endOffset)
      const rewritten = readFileSync(out)
      expect(rewritten.length, src).toBe(original.length)
      expect(rewritten.equals(original), src).toBe(true)
    }
  })
})
