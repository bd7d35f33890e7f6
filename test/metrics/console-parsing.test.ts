import {describe, expect, it} from 'vitest'
import {join} from 'node:path'
import {consoleParser, handOverInParts, parseLogFileInParts, parsedFromEvents} from '../../src/metrics/console-parsing.js'
import {findLogIn} from '../../src/readers/run/locate-run.js'
import {TrainerParser, parseTrainerLogFile} from '../../src/readers/trainer/trainer-parser.js'
import {ConsoleAssembler} from '../../src/readers/wandb/console-lines.js'
import {scanRecords} from '../../src/readers/wandb/log-container.js'
import {dispatchRecord} from '../../src/readers/wandb/record-decoder.js'
import {encode} from '../../src/writer/wandb-writer.js'
import {runlog} from '../helpers/cli.js'
import {FIXTURES, GRPO_RUN} from '../helpers/fixtures.js'

/** The trainer events of a list of `Record` payloads: decoded line by line, and from raw bytes (lines found as Latin-1). */
function bothWays(payloads: Uint8Array[]) {
  const decoded = new TrainerParser({origin: 'wandb_console'})
  const assembler = new ConsoleAssembler((l) => decoded.push(l.text))
  const raw = new TrainerParser({origin: 'wandb_console'})
  const lines = consoleParser(raw)
  for (const p of payloads) {
    dispatchRecord(p, {output: (o) => assembler.push(o.stream, o.text, o.timestamp)})
    dispatchRecord(p, {outputBytes: (b) => lines.push(Buffer.from(b), 0, b.length)})
  }
  assembler.flush()
  lines.flush()
  return {decoded: decoded.finish(), raw: raw.finish()}
}

describe('parsing a console from raw output records', () => {
  it('gives the same events, line numbers included, as parsing every decoded line (GRPO sample)', () => {
    const payloads: Uint8Array[] = []
    scanRecords(findLogIn(GRPO_RUN)!, (p) => payloads.push(p.slice()))
    const {decoded, raw} = bothWays(payloads)
    expect(raw.samples.length).toBeGreaterThan(200)
    expect(raw.lines).toBe(decoded.lines)
    expect(raw).toEqual(decoded)
  })

  it('keeps the lines of a block and a marker split over two records', () => {
    const out = (text: string) => encode.output('stdout', text)
    const {decoded, raw} = bothWays([
      out('📍 Step 1/2\n'),
      out('model output without markers\nmore output\n'),
      out('HTTP Request: POST https://api.example/v1/chat/completions "HT'),
      out('TP/1.1 200 OK"\n'),
      out('Token usage: 10 input + 5 output = 15 total\n'),
      out('Cost: $0.000100 ($0.000050 for input, $0.000050 for output)\n'),
      out('📈 子数据集准确率:\n'),
      out('  gsm8k          :  1/ 2 =  50.0% | 平均分: 0.60\n'),
      out('  math           :  2/ 2 = 100.0% | 平均分: 0.90\n'),
      out('\n'),
      out('plain text after the block\n'),
    ])
    expect(raw.apiCalls).toHaveLength(1)
    expect(raw.apiCalls[0].total_tokens).toBe(15)
    // The tally rows hold no marker: they are parsed because the block's first line made the parser take every line.
    expect(raw.stepTallies.map((t) => [t.source, t.correct, t.total])).toEqual([
      ['gsm8k', 1, 2],
      ['math', 2, 2],
    ])
    expect(raw).toEqual(decoded)
  })
})

describe('a trainer log file parsed in parts', () => {
  it('hands over the finished steps as table parts, then the rest: every row once, in log order, the same figures', async () => {
    const log = join(FIXTURES, 'trainer-logs', 'training_p30.log')
    const whole = parsedFromEvents(await parseTrainerLogFile(log))
    const {events, parts, evidence} = await parseLogFileInParts(log, {settleRows: 2000})
    expect(parts.length).toBeGreaterThan(3)
    const got = new Map<string, unknown[]>()
    const outcome = await handOverInParts(parts, parsedFromEvents(events), evidence, async (name, table) => {
      got.set(name, [...(got.get(name) ?? []), ...table.toArray().map((r) => r.toJSON())])
    })
    expect(parts).toEqual([])
    expect(outcome.evidence).toBe(whole.evidence)
    expect(outcome.lines).toBe(whole.lines)
    expect(outcome.warnings).toEqual(whole.warnings)
    for (const [name, table] of Object.entries(whole.tables)) expect(got.get(name), name).toEqual(table.toArray().map((r) => r.toJSON()))
  })

  it('gives `summarize` the same output whether a log is parsed whole or in parts', () => {
    const log = join(FIXTURES, 'trainer-logs', 'training_p30.log')
    const whole = runlog(['summarize', log, '--json'])
    const inParts = runlog(['summarize', log, '--json'], {env: {RUNLOG_SETTLE_ROWS: '500'}})
    expect(whole.status, whole.stderr).toBe(0)
    expect(inParts.stdout).toBe(whole.stdout)
    const viaStdout = runlog(['summarize', GRPO_RUN, '--stdout', join(FIXTURES, 'grpo-sample', 'train.log'), '--json'])
    const viaStdoutInParts = runlog(['summarize', GRPO_RUN, '--stdout', join(FIXTURES, 'grpo-sample', 'train.log'), '--json'], {env: {RUNLOG_SETTLE_ROWS: '300'}})
    expect(viaStdout.status, viaStdout.stderr).toBe(0)
    expect(viaStdoutInParts.stdout).toBe(viaStdout.stdout)
  })
})
