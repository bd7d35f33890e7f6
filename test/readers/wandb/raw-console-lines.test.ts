import {readdirSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {findLogIn} from '../../../src/readers/run/locate-run.js'
import {ConsoleAssembler} from '../../../src/readers/wandb/console-lines.js'
import {scanRecords} from '../../../src/readers/wandb/log-container.js'
import {outputFields, readOutputFields} from '../../../src/readers/wandb/output-record.js'
import {RawConsoleLines} from '../../../src/readers/wandb/raw-console-lines.js'
import {dispatchRecord} from '../../../src/readers/wandb/record-decoder.js'
import {encode} from '../../support/wandb-writer.js'
import {CORPUS, GRPO_RUN} from '../../helpers/fixtures.js'

/** The lines of raw output records, decoded (what a parser that decodes every line would see). */
function rawLines(records: Uint8Array[]): string[] {
  const out: string[] = []
  const raw = new RawConsoleLines({
    line: (latin1, bytes, start, end) =>
      out.push(bytes ? bytes.toString('utf8', start, end) : Buffer.from(latin1, 'latin1').toString('utf8')),
    text: (line) => out.push(line),
  })
  for (const r of records) expect(raw.push(Buffer.from(r), 0, r.length)).toBe(true)
  raw.flush()
  expect(raw.lines).toBe(out.length)
  return out
}

/** The output record inside a whole `Record` made by the writer. */
function outputBody(stream: 'stdout' | 'stderr', text: string, timestamp?: number): Uint8Array {
  let body: Uint8Array | null = null
  dispatchRecord(encode.output(stream, text, timestamp), {outputBytes: (b) => ((body = b.slice()), true)})
  return body!
}

describe('console lines from undecoded output records', () => {
  it('reads the fields of an output record in place', () => {
    const f = outputFields()
    const body = outputBody('stdout', 'héllo\n', 1_700_000_000.25)
    expect(readOutputFields(body, 0, body.length, f)).toBe(true)
    expect(f.type).toBe(1)
    expect(f.timestamp).toBeCloseTo(1_700_000_000.25, 6)
    expect(Buffer.from(body.subarray(f.textStart, f.textEnd)).toString('utf8')).toBe('héllo\n')
    const err = outputBody('stderr', '')
    expect(readOutputFields(err, 0, err.length, f)).toBe(true)
    expect([f.type, f.timestamp, f.textEnd - f.textStart]).toEqual([0, null, 0])
    expect(readOutputFields(body, 0, body.length - 1, f)).toBe(false)
  })

  it('joins fragments per stream, applies carriage returns and flushes stdout first, as ConsoleAssembler does', () => {
    const records = [
      outputBody('stdout', 'Step 1'),
      outputBody('stderr', ' 10%\r'),
      outputBody('stdout', '/500 ✅\nloss 判决'),
      outputBody('stderr', ' 90%\r100%\r\nwarn'),
      outputBody('stdout', '\n'),
      outputBody('stdout', 'abcdef\rXY'),
    ]
    expect(rawLines(records)).toEqual(['Step 1/500 ✅', '100%', 'loss 判决', 'XYcdef', 'warn'])
  })

  it('keeps a character whose UTF-8 bytes are split over two records whole', () => {
    const bytes = Buffer.from('判决\n', 'utf8')
    // Two records cutting the first character after its first byte (a writer flushing mid-character).
    const cut = (part: Buffer) => {
      const whole = outputBody('stdout', 'x'.repeat(part.length))
      const f = outputFields()
      readOutputFields(whole, 0, whole.length, f)
      const out = Buffer.from(whole)
      part.copy(out, f.textStart)
      return out
    }
    expect(rawLines([cut(bytes.subarray(0, 1)), cut(bytes.subarray(1))])).toEqual(['判决'])
  })

  it('gives the same lines as decoding every record, on every corpus run and the GRPO sample', () => {
    const dirs = [
      GRPO_RUN,
      ...readdirSync(CORPUS, {withFileTypes: true})
        .filter((d) => d.isDirectory())
        .map((d) => join(CORPUS, d.name)),
    ]
    let runsWithConsole = 0
    let lines = 0
    for (const dir of dirs) {
      const log = findLogIn(dir)
      if (!log) continue
      const decoded: string[] = []
      const assembler = new ConsoleAssembler((l) => decoded.push(l.text))
      const records: Uint8Array[] = []
      scanRecords(log, (payload) => {
        dispatchRecord(payload, {output: (o) => assembler.push(o.stream, o.text, o.timestamp)})
        dispatchRecord(payload, {outputBytes: (b) => (records.push(b.slice()), true)})
      })
      assembler.flush()
      expect(rawLines(records), dir).toEqual(decoded)
      if (decoded.length > 0) runsWithConsole++
      lines += decoded.length
    }
    expect(runsWithConsole).toBeGreaterThan(100)
    expect(lines).toBeGreaterThan(10_000)
  })
})
