import {closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, afterEach, beforeEach, describe, expect, it} from 'vitest'
import {TrainerParser, parseTrainerLogFile} from '../../../src/readers/trainer/trainer-parser.js'
import type {TrainerEvents} from '../../../src/readers/trainer/types.js'
import {HANDWRITTEN, LOGS} from './helpers.js'

const dir = mkdtempSync(join(tmpdir(), 'runlog-long-lines-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

const LIMIT = 64 * 1024
beforeEach(() => {
  process.env.RUNLOG_MAX_LINE_BYTES = String(LIMIT)
})
afterEach(() => {
  delete process.env.RUNLOG_MAX_LINE_BYTES
})

/** A verl metrics line for `step`. */
const verl = (step: number) => `step:${step} - critic/score/mean:${step / 10} - actor/loss:${step}`

function write(name: string, text: string): string {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

/** step → critic/score/mean, from the step metrics. */
function scores(e: TrainerEvents): Map<number, number> {
  return new Map(e.stepMetrics.filter((m) => m.key === 'critic/score/mean').map((m) => [m.step, m.value]))
}

describe('long lines in a trainer log', () => {
  it('reads a tqdm bar redrawn with \\r for 2 MB (no \\n) piece by piece: figures before, inside, after', async () => {
    const redraw = (i: number) =>
      `\rTraining: ${String(i % 100).padStart(3)}%|${'#'.repeat(i % 10)}| ${i}/100000 [00:01<00:02]`
    const bar: string[] = []
    for (let i = 0, n = 0; n < 2 << 20; i++) {
      // One redraw is a metrics line, as when a trainer prints between two redraws without a newline.
      const piece = i === 5000 ? `\r${verl(4)}` : redraw(i)
      bar.push(piece)
      n += piece.length
    }
    const path = write('tqdm.log', [verl(1), verl(2), verl(3), bar.join(''), verl(5), verl(6), ''].join('\n'))
    const e = await parseTrainerLogFile(path)
    expect([...scores(e)]).toEqual([
      [1, 0.1],
      [2, 0.2],
      [3, 0.3],
      [4, 0.4],
      [5, 0.5],
      [6, 0.6],
    ])
    // Line numbers stay those of \n: the bar is one line.
    expect(e.stepMetrics.find((m) => m.step === 5)!.line).toBe(5)
    expect(e.lines).toBe(6)
    expect(e.warnings.filter((w) => w.kind === 'long_line')).toEqual([])
  })

  it('reads a 48 MB \\r-only line a piece at a time', async () => {
    const redraw = Buffer.from(' 45%|####5     | 45/100 [00:01<00:02, 30.1it/s]\r'.repeat(1000))
    const path = join(dir, 'huge-bar.log')
    const fd = openSync(path, 'w')
    writeSync(fd, `${verl(1)}\n`)
    for (let n = 0; n < 48 << 20; n += redraw.length) writeSync(fd, redraw)
    writeSync(fd, `\n${verl(2)}\n`)
    closeSync(fd)
    // What the parser is handed at a time: a piece of the bar, never the bar.
    const proto = TrainerParser.prototype
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called back with .call(this)
    const {pushBytes, pushPiece} = proto
    let longest = 0
    proto.pushBytes = function (this: TrainerParser, latin1, ...rest) {
      longest = Math.max(longest, latin1.length)
      pushBytes.call(this, latin1, ...rest)
    }
    proto.pushPiece = function (this: TrainerParser, latin1, ...rest) {
      longest = Math.max(longest, latin1.length)
      pushPiece.call(this, latin1, ...rest)
    }
    const e = await parseTrainerLogFile(path).finally(() => Object.assign(proto, {pushBytes, pushPiece}))
    expect([...scores(e)]).toEqual([
      [1, 0.1],
      [2, 0.2],
    ])
    expect(longest).toBeLessThan(1000)
  })

  it('cuts a line with no break at the limit, says how many bytes were skipped, reads the lines after', async () => {
    const long = 'x'.repeat(300_000)
    const bar = `progress\r${'y'.repeat(100_000)}\r${verl(3)}`
    const path = write('long.log', [verl(1), long, verl(2), bar, verl(4)].join('\n'))
    const e = await parseTrainerLogFile(path)
    expect([...scores(e)]).toEqual([
      [1, 0.1],
      [2, 0.2],
      [3, 0.3],
      [4, 0.4],
    ])
    const cut = e.warnings.filter((w) => w.kind === 'long_line')
    expect(cut.map((w) => w.line)).toEqual([2, 4])
    expect(cut[0].message).toContain(`${(300_000 - LIMIT).toLocaleString('en-US')} byte(s)`)
    expect(cut[0].message).toContain(`${LIMIT.toLocaleString('en-US')} bytes`)
    expect(cut[1].message).toContain(`${(100_000 - LIMIT).toLocaleString('en-US')} byte(s)`)
  })

  it('cuts a last line with no \\n at all', async () => {
    const path = write('tail.log', `${verl(1)}\n${'z'.repeat(200_000)}`)
    const e = await parseTrainerLogFile(path)
    expect([...scores(e)]).toEqual([[1, 0.1]])
    expect(e.warnings.filter((w) => w.kind === 'long_line').map((w) => w.line)).toEqual([2])
  })

  for (const [name, path] of [
    ['grpo-noise.log', join(HANDWRITTEN, 'grpo-noise.log')],
    ['training_p28.log', join(LOGS, 'training_p28.log')],
  ]) {
    it(`gives the events of whole lines on ${name}, whose lines hold \\r`, async () => {
      const whole = new TrainerParser({origin: 'stdout'})
      const lines = readFileSync(path, 'utf8').split('\n')
      if (lines[lines.length - 1] === '') lines.pop()
      for (const l of lines) whole.push(l)
      const expected = whole.finish()
      const {bytes, ...got} = await parseTrainerLogFile(path)
      expect(bytes).toBeGreaterThan(0)
      expect(got).toEqual(expected)
    })
  }

  it('gives the events of whole lines on pieces with or without markers, ANSI-only, empty, in a block', async () => {
    const text = [
      verl(1),
      `Loading ####\rLoading #####\r\x1b[2K\r${verl(2)}\r`,
      '\r\r\r',
      '\x1b[1m\x1b[0m\r',
      'Traceback (most recent call last):',
      '  File "train.py", line 3\r  in <module>\r',
      '\r',
      'ValueError: bad\rdone',
      `plain\r${verl(3)}\rtail`,
      '',
      `${'#'.repeat(500)}\r`.repeat(400) + verl(4),
    ].join('\n')
    const path = write('pieces.log', text)
    const whole = new TrainerParser({origin: 'stdout'})
    for (const l of text.split('\n')) whole.push(l)
    const {bytes, ...got} = await parseTrainerLogFile(path)
    expect(bytes).toBe(Buffer.byteLength(text))
    expect(got).toEqual(whole.finish())
    expect([...scores(got as TrainerEvents)].map(([s]) => s)).toEqual([1, 2, 3, 4])
    expect(got.warnings.map((w) => w.kind)).toContain('traceback')
  })

  it('reads CRLF line endings as before (a \\r before \\n is no piece of its own)', async () => {
    const path = write('crlf.log', [verl(1), '', verl(2), ''].join('\r\n'))
    const e = await parseTrainerLogFile(path)
    expect([...scores(e)]).toEqual([
      [1, 0.1],
      [2, 0.2],
    ])
    expect(e.stepMetrics.find((m) => m.step === 2)!.line).toBe(3)
  })
})
