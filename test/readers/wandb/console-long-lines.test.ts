import {describe, expect, it} from 'vitest'
import {StreamAssembler} from '../../../src/readers/wandb/console-lines.js'
import {dispatchRecord} from '../../../src/readers/wandb/record-decoder.js'
import {RawConsoleLines} from '../../../src/readers/wandb/raw-console-lines.js'
import {encode} from '../../support/wandb-writer.js'

const LIMIT = 4096

/** The output record inside a whole `Record` made by the writer. */
function outputBody(text: string): Buffer {
  let body: Buffer | null = null
  dispatchRecord(encode.output('stdout', text), {outputBytes: (b) => ((body = Buffer.from(b)), true)})
  return body!
}

/** The lines of console fragments through `RawConsoleLines` (decoded), and the cuts it reported. */
function rawLines(fragments: string[], maxLine: number): {lines: string[]; cuts: Array<[number, number]>} {
  const lines: string[] = []
  const cuts: Array<[number, number]> = []
  const raw = new RawConsoleLines(
    {
      line: (latin1, bytes, start, end) =>
        lines.push(bytes ? bytes.toString('utf8', start, end) : Buffer.from(latin1, 'latin1').toString('utf8')),
      text: (line) => lines.push(line),
      cut: (limit, skipped) => cuts.push([limit, skipped]),
    },
    {maxLine},
  )
  for (const f of fragments) {
    const body = outputBody(f)
    expect(raw.push(body, 0, body.length)).toBe(true)
  }
  raw.flush()
  return {lines, cuts}
}

/** The same through `StreamAssembler` (the `console` table's lines). */
function assembledLines(fragments: string[], maxLine: number): {lines: string[]; cut: number} {
  const lines: string[] = []
  const a = new StreamAssembler('stdout', (l) => lines.push(l.text), {maxLine})
  for (const f of fragments) a.push(f, null)
  a.flush()
  return {lines, cut: a.cutChars}
}

/** A progress bar redrawn `n` times with `\r`, in fragments of `per` redraws, with no `\n`; a wide é now and then. */
function bar(n: number, per: number): string[] {
  const out: string[] = []
  let f = ''
  for (let i = 0; i < n; i++) {
    f += `\rÉpoque ${i % 7 === 0 ? 'é' : 'e'} ${String(i % 100).padStart(3)}%|${'█'.repeat(i % 10)}| ${i}/${n}`
    if ((i + 1) % per === 0) {
      out.push(f)
      f = ''
    }
  }
  if (f) out.push(f)
  return out
}

describe('long console lines in output records', () => {
  const fragments = ['before\n', 'a piece the bar will not fully overwrite', ...bar(20_000, 50), '\nafter\n', 'tail']

  it('a bar redrawn with \\r far past the limit reads as the terminal shows it, held within the limit', () => {
    const whole = rawLines(fragments, 1 << 30)
    const bounded = rawLines(fragments, LIMIT)
    expect(bounded.lines).toEqual(whole.lines)
    expect(bounded.lines).toHaveLength(4)
    expect(bounded.cuts).toEqual([])
    expect(assembledLines(fragments, LIMIT)).toEqual({lines: whole.lines, cut: 0})
  })

  it('a bar redrawn for 48 MB with no \\n never holds more than the limit of it (default limit)', () => {
    const redraws = Buffer.from(outputBody(' 45%|####5     | 45/100 [00:01<00:02, 30.1it/s]\r'.repeat(20_000)))
    let last = ''
    const raw = new RawConsoleLines({line: () => {}, text: (line) => (last = line)})
    // The text held for the line being assembled (stderr, stdout).
    const held = () => (raw as unknown as {pending: string[]}).pending[1].length
    let most = 0
    for (let n = 0; n < 48 << 20; n += redraws.length) {
      raw.push(redraws, 0, redraws.length)
      most = Math.max(most, held())
    }
    expect(most).toBeLessThanOrEqual(4 << 20)
    raw.flush()
    expect(last).toBe(' 45%|####5     | 45/100 [00:01<00:02, 30.1it/s]')
  })

  it('a line with no break past the limit is cut, and the bytes skipped are reported', () => {
    const xs = Array.from({length: 30}, () => 'x'.repeat(1000))
    const long = ['start\n', ...xs, '\nnext\n', `${'y'.repeat(10_000)}\nlast\n`]
    const r = rawLines(long, LIMIT)
    expect(r.lines).toEqual(['start', 'x'.repeat(LIMIT), 'next', 'y'.repeat(LIMIT), 'last'])
    expect(r.cuts).toEqual([
      [LIMIT, 30_000 - LIMIT],
      [LIMIT, 10_000 - LIMIT],
    ])
    const a = assembledLines(long, LIMIT)
    expect(a.lines).toEqual(r.lines)
    expect(a.cut).toBe(30_000 - LIMIT + 10_000 - LIMIT)
  })
})
