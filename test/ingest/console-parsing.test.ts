import {describe, expect, it} from 'vitest'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {
  consoleParser,
  handOverInParts,
  parseLogFileInParts,
  parsedFromEvents,
} from '../../src/ingest/console-parsing.js'
import {findLogIn} from '../../src/readers/run/locate-run.js'
import {TrainerParser, parseTrainerLogFile} from '../../src/readers/trainer/trainer-parser.js'
import {ConsoleAssembler} from '../../src/readers/wandb/console-lines.js'
import {scanRecords} from '../../src/readers/wandb/log-container.js'
import {dispatchRecord} from '../../src/readers/wandb/record-decoder.js'
import {encode} from '../support/wandb-writer.js'
import {runlog} from '../helpers/cli.js'
import {CORPUS, FIXTURES, GRPO_RUN, ROOT} from '../helpers/fixtures.js'

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
  it('gives the same events, line numbers included, as parsing every decoded line (GRPO sample)', async () => {
    const payloads: Uint8Array[] = []
    scanRecords(findLogIn(GRPO_RUN)!, (p) => payloads.push(p.slice()))
    const {decoded, raw} = bothWays(payloads)
    expect(raw.samples.length).toBeGreaterThan(200)
    expect(raw.lines).toBe(decoded.lines)
    expect(raw).toEqual(decoded)
  })

  it('keeps the lines of a block and a marker split over two records', async () => {
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
    for (const [name, table] of Object.entries(whole.tables))
      expect(got.get(name), name).toEqual(table.toArray().map((r) => r.toJSON()))
  })

  it('hands each part to `onPart` as it is built, waiting for it before parsing on: the same parts, none kept', async () => {
    const log = join(FIXTURES, 'trainer-logs', 'training_p30.log')
    const kept = await parseLogFileInParts(log, {settleRows: 2000})
    const handed: Array<{name: string; rows: unknown[]}> = []
    let busy = false
    const streamed = await parseLogFileInParts(log, {
      settleRows: 2000,
      async onPart(name, table) {
        expect(busy, 'a part handed before the previous one was taken').toBe(false)
        busy = true
        await new Promise((resolve) => setTimeout(resolve, 5))
        handed.push({name, rows: table.toArray().map((r) => r.toJSON())})
        busy = false
      },
    })
    expect(streamed.parts).toEqual([])
    expect(handed.map((h) => h.name)).toEqual(kept.parts.map((p) => p.name))
    expect(handed.map((h) => h.rows)).toEqual(kept.parts.map((p) => p.table.toArray().map((r) => r.toJSON())))
    expect(streamed.evidence).toBe(kept.evidence)
    expect(streamed.events.lines).toBe(kept.events.lines)
  })

  it('gives `summarize` the same output whether a log is parsed whole or in parts', async () => {
    const log = join(FIXTURES, 'trainer-logs', 'training_p30.log')
    const stdout = ['summarize', GRPO_RUN, '--stdout', join(FIXTURES, 'grpo-sample', 'train.log'), '--json']
    const [whole, inParts, viaStdout, viaStdoutInParts] = await Promise.all([
      runlog(['summarize', log, '--json']),
      runlog(['summarize', log, '--json'], {env: {RUNLOG_SETTLE_ROWS: '500'}}),
      runlog(stdout),
      runlog(stdout, {env: {RUNLOG_SETTLE_ROWS: '300'}}),
    ])
    expect(whole.status, whole.stderr).toBe(0)
    expect(inParts.stdout).toBe(whole.stdout)
    expect(viaStdout.status, viaStdout.stderr).toBe(0)
    expect(viaStdoutInParts.stdout).toBe(viaStdout.stdout)
  })
})

describe('a console parsed on a worker thread', () => {
  // The worker is a file of the build (dist/), as in the CLI: `npm test` builds first.
  const fromDist = async () =>
    (await import(
      pathToFileURL(join(ROOT, 'dist', 'ingest', 'console-parsing.js')).href
    )) as typeof import('../../src/ingest/console-parsing.js')

  /** ~12 MiB of console records (more than the worker is let fall behind by), a step with an API call every 1,000 records. */
  function bigConsole(): Uint8Array[] {
    const filler = `${'model output that no family parses '.repeat(30)}\n`
    const bodies: Uint8Array[] = []
    for (let i = 0; i < 12_000; i++) {
      const text =
        i % 1000 === 0
          ? `📍 Step ${i / 1000 + 1}/12\nHTTP Request: POST https://api.example/v1/chat/completions "HTTP/1.1 200 OK"\n`
          : filler
      dispatchRecord(encode.output('stdout', text), {outputBytes: (b) => bodies.push(b.slice()) > 0})
    }
    return bodies
  }

  async function tablesOf(parsing: import('../../src/ingest/console-parsing.js').ConsoleParsing, bodies: Uint8Array[]) {
    for (const b of bodies) parsing.pushRecord(b)
    const rows: Record<string, number> = {}
    const outcome = await parsing.finish(async (name, table) => void (rows[name] = (rows[name] ?? 0) + table.numRows))
    return {rows, lines: outcome.lines, evidence: outcome.evidence}
  }

  /** The console record bodies of a real run, in file order. */
  function consoleBodies(run: string): Uint8Array[] {
    const bodies: Uint8Array[] = []
    scanRecords(findLogIn(run)!, (p) => dispatchRecord(p, {outputBytes: (b) => bodies.push(b.slice()) > 0}))
    return bodies
  }

  /** Every row of every table handed over (parts joined in order), with the outcome. */
  async function everything(
    parsing: import('../../src/ingest/console-parsing.js').ConsoleParsing,
    bodies: Uint8Array[],
  ) {
    for (const b of bodies) parsing.pushRecord(b)
    const rows: Record<string, unknown[]> = {}
    const outcome = await parsing.finish(async (name, table) => {
      rows[name] = [...(rows[name] ?? []), ...table.toArray().map((r) => r.toJSON())]
    })
    return {rows, outcome}
  }

  it('gives the same rows, warnings and line count as parsing inline, on real runs (lines split on this thread)', async () => {
    const {inlineConsoleParsing, workerConsoleParsing} = await fromDist()
    const runs = [
      GRPO_RUN,
      join(FIXTURES, 'judge-outage', 'offline-run-20251124_010716-7lhcisc9'),
      join(CORPUS, 'banda__run-20250901_211942-5gken955'),
      join(CORPUS, 'cs336-own-transformer__run-20260120_061615-xinacahi'),
    ]
    for (const run of runs) {
      const bodies = consoleBodies(run)
      expect(bodies.length, run).toBeGreaterThan(10)
      const inline = await everything(inlineConsoleParsing(), bodies)
      const onWorker = await everything(workerConsoleParsing({settleRows: 50})!, bodies)
      expect(onWorker, run).toEqual(inline)
    }
  })

  it('does the work it is given while it waits for the worker, with the same tables; a worker started ahead is used', async () => {
    const {inlineConsoleParsing, startParseWorker, workerConsoleParsing} = await fromDist()
    const bodies = bigConsole()
    const inline = await tablesOf(inlineConsoleParsing(), bodies)
    expect(inline.rows.api_calls).toBe(12)
    expect(inline.lines).toBe(11_988 + 24)
    let calls = 0
    const worker = startParseWorker()
    // The reading thread sees the worker's progress through this counter: held at 0, the worker seems behind
    // whatever its real speed (which a loaded machine decides), until the fourth call lets it catch up.
    const seen = new Int32Array(new SharedArrayBuffer(4))
    const whileWaiting = () => {
      if (++calls <= 3) return true
      Atomics.store(seen, 0, 1 << 30)
      return false
    }
    const parsing = workerConsoleParsing({worker: worker && {...worker, progress: seen}, whileWaiting})
    expect(parsing).not.toBeNull()
    expect(await tablesOf(parsing!, bodies)).toEqual(inline)
    // Called while the worker was behind: three pieces of work, then it had none (this thread would block).
    expect(calls).toBe(4)
    // The worker started ahead is the one that parsed, and it is gone.
    await expect(worker!.replies.next()).rejects.toThrow(/stopped/)
  })
  it("marks each table's last part (written while the others come): once, after its other parts", async () => {
    const {inlineConsoleParsing, workerConsoleParsing} = await fromDist()
    const bodies = bigConsole()
    /** The parts handed over, as `name` or `name (last)`, after checking each table's last part is its final one. */
    async function handed(parsing: import('../../src/ingest/console-parsing.js').ConsoleParsing) {
      for (const b of bodies) parsing.pushRecord(b)
      const seen: string[] = []
      await parsing.finish(async (name, _table, last) => void seen.push(last ? `${name} (last)` : name))
      for (const name of new Set(seen.map((s) => s.split(' ')[0]))) {
        const ofTable = seen.filter((s) => s.split(' ')[0] === name)
        expect(ofTable.slice(0, -1), name).not.toContain(`${name} (last)`)
        expect(ofTable.at(-1), name).toBe(`${name} (last)`)
      }
      return seen
    }
    const inline = await handed(inlineConsoleParsing())
    expect(inline.every((s) => s.endsWith('(last)'))).toBe(true)
    // Finished steps written out while parsing (every 3 rows): parts before the last ones.
    const onWorker = await handed(workerConsoleParsing({settleRows: 3})!)
    expect(onWorker.filter((s) => s === 'api_calls').length).toBeGreaterThan(1)
    expect(onWorker.filter((s) => s.endsWith('(last)')).sort()).toEqual([...inline].sort())
  })
})
