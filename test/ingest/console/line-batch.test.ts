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

/** Each record in a buffer reused for the next one, as the reader's are: a batcher must copy what it keeps. */
function feed(lines: RawConsoleLines, records: Uint8Array[], batcher?: LineBatcher) {
  const buf = Buffer.alloc(Math.max(...records.map((r) => r.length)) + 3)
  for (const r of records) {
    buf.fill(0x0a)
    buf.set(r, 3)
    lines.push(buf, 3, 3 + r.length)
    batcher?.endRecord()
  }
  lines.flush()
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
  feed(new RawConsoleLines(sink, {maxLine}), records)
  return events
}

/** The same lines packed into batches, then read back batch by batch. */
function batched(records: Uint8Array[], maxLine: number, batchBytes: number, batchLines: number) {
  const batches: LineBatch[] = []
  const batcher = new LineBatcher(gate, (b) => batches.push(b), batchBytes, batchLines)
  feed(new RawConsoleLines(batcher, {maxLine}), records, batcher)
  batcher.flush()
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
      for (const b of batches) expect(b.count).toBeLessThanOrEqual(lines)
    }
  })

  it('keeps half a surrogate pair that a `\\r` overwrite left', () => {
    const want = direct(bodies([['stdout', '🙂🙂\rx\n']]), 64)
    expect(want).toEqual([['text', 'x\ude42🙂']])
    expect(batched(bodies([['stdout', '🙂🙂\rx\n']]), 64, 16, 4).events).toEqual(want)
  })

  it('gives a line bigger than a batch a batch of its own', () => {
    const big = 'x'.repeat(50)
    const {batches, events} = batched(bodies([['stdout', `a\n${big}\nb\n`]]), 1000, 8, 4)
    expect(events.map((e) => e[2])).toEqual(['a', big, 'b'])
    expect(batches.map((b) => [b.bytes.byteLength, b.count])).toEqual([
      [8, 1],
      [50, 1],
      [8, 1],
    ])
  })

  it('marks every line without a gate, posts nothing when it holds nothing, each batch in buffers of its own', () => {
    const posted: LineBatch[] = []
    const batcher = new LineBatcher(null, (b) => posted.push(b), 16, 4)
    batcher.flush()
    expect(posted).toEqual([])
    batcher.line('plain', null, 0, 0)
    batcher.flush()
    batcher.line('more', Buffer.from('more'), 0, 4)
    batcher.flush()
    expect(posted).toHaveLength(2)
    expect(posted[0].bytes).not.toBe(posted[1].bytes)
    expect(posted[0].entries).not.toBe(posted[1].entries)
    const marks: boolean[] = []
    for (const b of posted) forEachLine(b, {line: (m) => marks.push(m), text() {}, cut() {}})
    expect(marks).toEqual([true, true])
  })
})
