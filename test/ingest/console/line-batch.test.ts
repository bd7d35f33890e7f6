import {describe, expect, it} from 'vitest'
import {type LineBatch, LineBatcher, forEachLine} from '../../../src/ingest/console/line-batch.js'
import {defaultFamilies} from '../../../src/readers/trainer/default-families.js'
import {latin1Gate} from '../../../src/readers/trainer/marker-source.js'
import {type RawLineSink, RawConsoleLines} from '../../../src/readers/wandb/raw-console-lines.js'
import {dispatchRecord} from '../../../src/readers/wandb/record-decoder.js'
import {encode} from '../../support/wandb-writer.js'

const gate = latin1Gate(defaultFamilies())!

/** The bodies of output records: `[stream, text]` each. */
function bodies(records: Array<['stdout' | 'stderr', string]>): Uint8Array[] {
  const out: Uint8Array[] = []
  for (const [stream, text] of records)
    dispatchRecord(encode.output(stream, text), {outputBytes: (b) => out.push(b.slice()) > 0})
  return out
}

type Event = ['line', boolean, string] | ['text', string] | ['cut', number, number]

const fromLatin1 = (s: string) => Buffer.from(s, 'latin1').toString('utf8')

/** Each record in a buffer reused for the next one, as the reader's are: what is kept of it must be copied. */
function feed(records: Uint8Array[], push: (body: Uint8Array) => void) {
  const buf = new Uint8Array(Math.max(...records.map((r) => r.length)) + 3)
  for (const r of records) {
    buf.fill(0x0a)
    buf.set(r, 3)
    push(buf.subarray(3, 3 + r.length))
  }
}

/** What `RawConsoleLines` gives, the gate tested and each line decoded here (the reference). */
function direct(records: Uint8Array[], maxLine: number): Event[] {
  const events: Event[] = []
  const sink: RawLineSink = {
    line: (latin1, bytes, start, end) =>
      events.push(['line', gate.test(latin1), bytes ? bytes.toString('utf8', start, end) : fromLatin1(latin1)]),
    text: (line) => events.push(['text', line]),
    cut: (limit, skipped) => events.push(['cut', limit, skipped]),
  }
  const lines = new RawConsoleLines(sink, {maxLine})
  feed(records, (body) => lines.push(Buffer.from(body.buffer, body.byteOffset, body.byteLength), 0, body.length))
  lines.flush()
  return events
}

/** The same lines packed into batches, then read back batch by batch. */
function batched(records: Uint8Array[], maxLine: number, batchBytes: number, batchLines: number) {
  const batches: LineBatch[] = []
  const batcher = new LineBatcher(gate, (b) => batches.push(b), batchBytes, batchLines, {maxLine})
  feed(records, (body) => batcher.push(body))
  batcher.end()
  const events: Event[] = []
  for (const b of batches)
    forEachLine(b, {
      line: (marked, bytes, start, end) => events.push(['line', marked, bytes.toString('utf8', start, end)]),
      text: (line) => events.push(['text', line]),
      cut: (limit, skipped) => events.push(['cut', limit, skipped]),
    })
  return {batches, events}
}

const records = bodies([
  ['stdout', '📍 Step 1/2\nmodel output without markers\n\n'],
  ['stderr', 'a warning split '],
  ['stdout', 'HTTP Request: POST https://api.example/v1/chat/completions "HT'],
  ['stderr', 'over two records\n'],
  ['stdout', 'TP/1.1 200 OK"\n'],
  ['stdout', 'progress  10%\rprogress 100%\r\n'],
  ['stdout', '🙂🙂🙂\r🙂x\n'],
  ['stdout', `${'a very long line '.repeat(10)}\nshort\n`],
  ['stdout', `${'long and split '.repeat(4)}`],
  ['stdout', `${'over records '.repeat(4)}\n`],
  ['stdout', '\n\n'],
  ['stderr', 'Token usage: 10 input + 5 output = 15 total'],
  ['stdout', 'unterminated stdout'],
])

describe('console lines packed into batches for the parsing worker', () => {
  it('gives back every line, in order, with its gate bit, `\\r` text, cut notices, across batches', () => {
    const want = direct(records, 64)
    const kinds = new Set(want.map((e) => (e[0] === 'line' ? `line ${e[1]}` : e[0])))
    expect([...kinds].sort()).toEqual(['cut', 'line false', 'line true', 'text'])
    expect(want).toContainEqual(['line', false, ''])
    expect(want).toContainEqual(['line', false, 'a warning split over two records'])
    for (const [bytes, lines] of [
      [1 << 20, 1 << 15],
      [40, 3],
      [7, 1],
    ]) {
      const {batches, events} = batched(records, 64, bytes, lines)
      expect(events).toEqual(want)
      if (bytes < 100) expect(batches.length).toBeGreaterThan(3)
      // Posted between records: past the limit by the lines of one record at most (3 here).
      for (const b of batches) expect(b.count).toBeLessThanOrEqual(lines + 2)
      if (lines === 1) expect(batches.length).toBeGreaterThan(records.length / 2)
    }
  })

  it('keeps half a surrogate pair that a `\\r` overwrite left', () => {
    const want = direct(bodies([['stdout', '🙂🙂\rx\n']]), 64)
    expect(want).toEqual([['text', 'x\ude42🙂']])
    expect(batched(bodies([['stdout', '🙂🙂\rx\n']]), 64, 16, 4).events).toEqual(want)
  })

  it('gives a record bigger than a batch a batch of its own, and posts batches only between records', () => {
    const big = 'x'.repeat(100)
    const recs = bodies([
      ['stdout', 'a\n'],
      ['stdout', `${big}\nb`],
      ['stdout', 'c\n'],
    ])
    const {batches, events} = batched(recs, 1000, 64, 4)
    expect(events.map((e) => e[2])).toEqual(['a', big, 'bc'])
    expect(batches.map((b) => [b.records.byteLength, b.count])).toEqual([
      [64, 1],
      [recs[1].length, 1],
      [64, 1],
    ])
  })

  it('marks every line without a gate, posts nothing when it holds no line, each batch in buffers of its own', () => {
    const posted: LineBatch[] = []
    const batcher = new LineBatcher(null, (b) => posted.push(b), 64, 4)
    batcher.end()
    expect(posted).toEqual([])
    for (const [stream, text] of [
      ['stdout', 'no line break'],
      ['stdout', ' yet'],
    ] as const)
      batcher.push(bodies([[stream, text]])[0])
    expect(posted).toEqual([])
    batcher.push(bodies([['stdout', '\nplain\n']])[0])
    batcher.push(bodies([['stdout', 'x'.repeat(40) + '\n']])[0])
    batcher.end()
    expect(posted).toHaveLength(2)
    expect(posted[0].records).not.toBe(posted[1].records)
    expect(posted[0].entries).not.toBe(posted[1].entries)
    const marks: Array<[boolean, string]> = []
    for (const b of posted)
      forEachLine(b, {line: (m, bytes, s, e) => marks.push([m, bytes.toString('utf8', s, e)]), text() {}, cut() {}})
    expect(marks).toEqual([
      [true, 'no line break yet'],
      [true, 'plain'],
      [true, 'x'.repeat(40)],
    ])
  })
})
