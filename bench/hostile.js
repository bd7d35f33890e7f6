#!/usr/bin/env node
// `npm run bench -- --hostile` (or `node bench/hostile.js`): full-size hostile inputs, made in a temp dir, each read by
// `ls`, `history` and `summarize` in its own process; prints wall time and peak RSS (/usr/bin/time) and checks that
// the figures from the rest of the log came through. Not run by the tests (it writes ~4 GB and takes minutes).
//   node bench/hostile.js [--cases tqdm,console,record,string,string50,keys,debuglog,nested] [--keep] [--scale F]
// `--scale 0.01`: the big inputs and runlog's limits (through their environment variables) scaled down, a smoke test.
import {spawnSync} from 'node:child_process'
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
import {cpus, tmpdir, totalmem} from 'node:os'
import {join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {crc32} from 'node:zlib'
import {loadWriter} from './writer.js'

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)))
const RUN_JS = join(ROOT, 'bin', 'run.js')
const {encode} = await loadWriter()

const argv = process.argv.slice(2)
const scaleArg = argv.indexOf('--scale')
const SCALE = scaleArg >= 0 ? Number(argv[scaleArg + 1]) : 1
// runlog's limits scaled with the inputs that are made to pass them (the other cases keep the defaults).
const SCALED_ENV =
  SCALE === 1
    ? {}
    : {
        RUNLOG_MAX_RECORD_BYTES: String(Math.floor(SCALE * 32 * 2 ** 20)),
        RUNLOG_MAX_LINE_BYTES: String(Math.floor(SCALE * 4 * 2 ** 20)),
      }

const BLOCK = 32768
const HEADER = 7
const SEEDS = [0, 1, 2, 3, 4].map((t) => crc32(Buffer.of(t)))
const MiB = 1 << 20

/**
 * Writes a `.wandb` file record by record with LevelDB framing, like `WandbWriter`, but taking each record's payload
 * as a sequence of parts, so a record of gigabytes is never held in memory.
 */
class StreamingLog {
  constructor(path) {
    this.fd = openSync(path, 'w')
    this.buf = Buffer.allocUnsafe(8 * MiB)
    this.len = 0
    this.offset = 0
    this.num = 1
    this.put(Buffer.from([0x3a, 0x57, 0x26, 0x42, 0xe1, 0xbe, 0x00]))
  }

  put(data) {
    let p = 0
    while (p < data.length) {
      const n = Math.min(data.length - p, this.buf.length - this.len)
      data.copy(this.buf, this.len, p, p + n)
      this.len += n
      p += n
      if (this.len === this.buf.length) this.flush()
    }
    this.offset += data.length
  }

  flush() {
    let done = 0
    while (done < this.len) done += writeSync(this.fd, this.buf, done, this.len - done)
    this.len = 0
  }

  chunk(type, data) {
    const head = Buffer.allocUnsafe(HEADER)
    head.writeUInt32LE(data.length === 0 ? SEEDS[type] : crc32(data, SEEDS[type]), 0)
    head.writeUInt16LE(data.length, 4)
    head[6] = type
    this.put(head)
    this.put(data)
  }

  /** One record: `parts` (Buffers, possibly a generator) of `total` bytes in all. */
  record(parts, total) {
    let left = total
    let first = true
    let pending = Buffer.alloc(0)
    const it = parts[Symbol.iterator]()
    do {
      const room = BLOCK - (this.offset % BLOCK)
      if (room < HEADER) this.put(Buffer.alloc(room))
      const avail = BLOCK - (this.offset % BLOCK) - HEADER
      const frag = Math.min(left, avail)
      while (pending.length < frag) pending = Buffer.concat([pending, it.next().value])
      const data = pending.subarray(0, frag)
      pending = pending.subarray(frag)
      const last = frag === left
      this.chunk(first && last ? 1 : first ? 2 : last ? 4 : 3, data)
      left -= frag
      first = false
    } while (left > 0)
  }

  /** A record made by the writer's encoders (their `num` is ours). */
  encoded(make) {
    const payload = Buffer.from(make(this.num++))
    this.record([payload], payload.length)
  }

  close() {
    this.flush()
    closeSync(this.fd)
  }
}

function varint(n) {
  const out = []
  while (n >= 128) {
    out.push((n % 128) | 128)
    n = Math.floor(n / 128)
  }
  out.push(n)
  return Buffer.from(out)
}

const lenField = (tag, length) => Buffer.concat([varint(tag), varint(length)])

/** A history record `{key: "xxx…"}` (a string of `chars` x's) at `step`, as parts; returns {parts, total}. */
function bigHistoryRecord(num, step, key, chars) {
  const valueLen = chars + 2
  const keyField = Buffer.concat([lenField((1 << 3) | 2, key.length), Buffer.from(key)])
  const valueHead = lenField((16 << 3) | 2, valueLen)
  const itemLen = keyField.length + valueHead.length + valueLen
  const stepMsg = Buffer.concat([varint(1 << 3), varint(step)])
  const stepField = Buffer.concat([lenField((2 << 3) | 2, stepMsg.length), stepMsg])
  const itemHead = lenField((1 << 3) | 2, itemLen)
  const historyLen = itemHead.length + itemLen + stepField.length
  const recordHead = Buffer.concat([varint(1 << 3), varint(num), lenField((2 << 3) | 2, historyLen)])
  const head = Buffer.concat([recordHead, itemHead, keyField, valueHead, Buffer.from('"')])
  const fill = Buffer.alloc(MiB, 'x')
  function* parts() {
    yield head
    for (let left = chars; left > 0; left -= fill.length) yield left >= fill.length ? fill : fill.subarray(0, left)
    yield Buffer.concat([Buffer.from('"'), stepField])
  }
  return {parts: parts(), total: head.length + chars + 1 + stepField.length}
}

/** A run directory `run-…-<id>` under `parent` with its log written by `write(log)`; returns {runDir, file}. */
function makeRun(parent, id, write) {
  const runDir = join(parent, `run-20260101_000000-${id}`)
  mkdirSync(runDir, {recursive: true})
  const file = join(runDir, `run-${id}.wandb`)
  const log = new StreamingLog(file)
  log.encoded((n) => encode.header('0.19.0', undefined, n))
  log.encoded((n) => encode.run({runId: id, project: 'hostile', displayName: id, startTime: 1_767_225_600}, n))
  write(log)
  log.encoded((n) => encode.exit(0, 600, n))
  log.close()
  return {runDir, file}
}

/** A verl metrics line: the validation reward of `dataset` at `step`. */
const verl = (step, dataset) =>
  `step:${step} - val-core/${dataset}/reward/mean@1:${step / 8} - critic/score/mean:${step / 10}\n`
/** A tqdm bar redrawn with `\r` and no `\n`, in pieces of about 1 MiB. */
const BAR_PIECE = ' 45%|####5     | 45/100 [00:01<00:02, 30.1it/s]\r'.repeat(Math.floor(MiB / 49))

/** The trainer text: 3 steps, a 600 MB `\r`-only bar, a 100 MB line with no break at all, 3 steps. */
function* trainerText() {
  yield verl(1, 'math') + verl(2, 'math') + verl(3, 'math')
  for (let n = 0; n < 600e6 * SCALE; n += BAR_PIECE.length) yield BAR_PIECE
  yield '\n'
  const plain = 'y'.repeat(MiB)
  for (let n = 0; n < 100e6 * SCALE; n += plain.length) yield plain
  yield '\n' + verl(4, 'gsm8k') + verl(5, 'gsm8k') + verl(6, 'gsm8k')
}

/** Every case: what to make, the commands to run on it, and what their output must show. */
const CASES = {
  tqdm: {
    scaled: true,
    what: 'trainer log: 600 MB `\\r`-only line + 100 MB line without a break',
    make(dir) {
      const log = join(dir, 'train.log')
      const fd = openSync(log, 'w')
      for (const t of trainerText()) writeSync(fd, t)
      closeSync(fd)
      const {runDir} = makeRun(join(dir, 'plain'), 'plain', () => {})
      return {log, runDir, bytes: statSync(log).size}
    },
    runs: (m) => [
      {args: ['summarize', m.log, '--json'], check: checkBothSides},
      {args: ['summarize', m.runDir, '--stdout', m.log, '--json'], check: checkBothSides},
    ],
  },
  console: {
    scaled: true,
    what: "the same text in a run's console (output records)",
    make(dir) {
      const {runDir, file} = makeRun(dir, 'console', (log) => {
        let t = 1_767_225_601
        for (const text of trainerText()) log.encoded((n) => encode.output('stdout', text, t++, false, n))
      })
      return {runDir, parent: dir, bytes: statSync(file).size}
    },
    runs: (m) => [
      {args: ['ls', m.parent, '--json'], check: (out) => expectEq(JSON.parse(out)[0].state, 'finished')},
      {args: ['summarize', m.runDir, '--json'], check: checkBothSides},
    ],
  },
  record: {
    scaled: true,
    what: 'one 2.2 GB history record over 67,000 blocks (good CRCs)',
    make(dir) {
      const {runDir, file} = makeRun(dir, 'record', (log) => {
        for (let s = 0; s < 3; s++) log.encoded((n) => encode.history(s, {loss: s}, n))
        const big = bigHistoryRecord(log.num++, 3, 'big', Math.round(2.2e9 * SCALE))
        log.record(big.parts, big.total)
        for (let s = 4; s < 6; s++) log.encoded((n) => encode.history(s, {loss: s}, n))
      })
      return {runDir, parent: dir, bytes: statSync(file).size}
    },
    runs: (m) => [
      {args: ['ls', m.parent, '--json'], check: (out) => expectEq(JSON.parse(out)[0].history_rows, 5)},
      {args: ['history', m.runDir, '--format', 'jsonl'], check: (out) => expectEq(steps(out), '0,1,2,4,5')},
      {args: ['summarize', m.runDir, '--json'], check: (out) => expectEq(JSON.parse(out).run.steps, 5)},
    ],
  },
  string: {
    what: 'a 30 MB string value (under the record limit: read)',
    make(dir) {
      const {runDir, file} = makeRun(dir, 'string', (log) => {
        log.encoded((n) => encode.history(0, {loss: 0}, n))
        log.encoded((n) => encode.history(1, {big: 'é'.repeat(15e6), loss: 1}, n))
        log.encoded((n) => encode.history(2, {loss: 2}, n))
      })
      return {runDir, parent: dir, bytes: statSync(file).size}
    },
    runs: (m) => [
      {args: ['ls', m.parent], check: () => null},
      ...Object.entries({
        table: '(14,999,000 more characters)',
        csv: 'é'.repeat(1000),
        jsonl: '\\u00e9'.repeat(100),
      }).map(([f, part]) => ({args: ['history', m.runDir, '--format', f], check: (out) => expectIncludes(out, part)})),
      {args: ['summarize', m.runDir, '--json'], check: (out) => expectEq(JSON.parse(out).run.steps, 3)},
    ],
  },
  string50: {
    what: 'a 50 MB string value (over the record limit: skipped)',
    make(dir) {
      const {runDir, file} = makeRun(dir, 'string50', (log) => {
        log.encoded((n) => encode.history(0, {loss: 0}, n))
        log.encoded((n) => encode.history(1, {big: 'é'.repeat(25e6), loss: 1}, n))
        log.encoded((n) => encode.history(2, {loss: 2}, n))
      })
      return {runDir, parent: dir, bytes: statSync(file).size}
    },
    runs: (m) => [
      {args: ['ls', m.parent], check: () => null},
      ...['table', 'csv'].map((f) => ({
        args: ['history', m.runDir, '--format', f],
        check: (o) => expectIncludes(o, '2'),
      })),
      {args: ['history', m.runDir, '--format', 'jsonl'], check: (out) => expectEq(steps(out), '0,2')},
      {args: ['summarize', m.runDir, '--json'], check: (out) => expectEq(JSON.parse(out).run.steps, 2)},
    ],
  },
  keys: {
    what: '100,000 distinct history keys (3 rows)',
    make(dir) {
      const {runDir, file} = makeRun(dir, 'keys', (log) => {
        for (let r = 0; r < 3; r++) {
          const items = Array.from({length: 100_000}, (_, i) => ({key: `metric/k${i}`, valueJson: String(i + r)}))
          log.encoded((n) => encode.history(r, items, n))
        }
      })
      return {runDir, parent: dir, bytes: statSync(file).size}
    },
    runs: (m) => [
      {args: ['ls', m.parent], check: () => null},
      {args: ['history', m.runDir], check: (out) => expectIncludes(out, 'metric/k97')},
      {
        args: ['history', m.runDir, '--format', 'csv'],
        check: (o) => expectEq(o.split('\n')[0].split(',').length, 100_001),
      },
      {args: ['history', m.runDir, '--format', 'jsonl'], check: (out) => expectEq(steps(out), '0,1,2')},
      {args: ['summarize', m.runDir, '--json'], check: (out) => expectEq(JSON.parse(out).run.steps, 3)},
    ],
  },
  debuglog: {
    what: 'a crashed run (no exit record) with a 600 MB `logs/debug-internal.log` ending with its exit code',
    make(dir) {
      const runDir = join(dir, 'run-20260101_000000-debuglog')
      mkdirSync(join(runDir, 'logs'), {recursive: true})
      const log = new StreamingLog(join(runDir, 'run-debuglog.wandb'))
      log.encoded((n) => encode.header('0.19.0', undefined, n))
      log.encoded((n) => encode.run({runId: 'debuglog', project: 'hostile', startTime: 1_767_225_600}, n))
      log.encoded((n) => encode.history(0, {loss: 0}, n))
      log.close()
      const path = join(runDir, 'logs', 'debug-internal.log')
      const fd = openSync(path, 'w')
      const noise = '{"time":"2026-01-01T00:00:00Z","level":"DEBUG","msg":"filestream: post request"}\n'.repeat(12_000)
      for (let n = 0; n < 600e6 * SCALE; n += noise.length) writeSync(fd, noise)
      writeSync(fd, '{"time":"2026-01-01T01:00:00Z","level":"INFO","msg":"filestream: exit","exit_code":3}\n')
      closeSync(fd)
      return {runDir, parent: dir, bytes: statSync(path).size}
    },
    runs: (m) => [
      {args: ['ls', m.parent, '--json'], check: (out) => expectEq(JSON.parse(out)[0].exit_code, 3)},
      {args: ['summarize', m.runDir, '--json'], check: (out) => expectEq(JSON.parse(out).run.exit_code, 3)},
    ],
  },
  nested: {
    what: 'a value nested 10,000 deep',
    make(dir) {
      const {runDir, file} = makeRun(dir, 'nested', (log) => {
        const deep = {key: 'deep', valueJson: '['.repeat(10_000) + ']'.repeat(10_000)}
        log.encoded((n) => encode.history(0, [deep, {key: 'loss', valueJson: '0'}], n))
        log.encoded((n) => encode.history(1, {loss: 1}, n))
      })
      return {runDir, parent: dir, bytes: statSync(file).size}
    },
    runs: (m) => [
      {args: ['ls', m.parent], check: () => null},
      ...['table', 'csv', 'jsonl'].map((f) => ({
        args: ['history', m.runDir, '--format', f],
        check: (o) => expectIncludes(o, '[[[['),
      })),
      {args: ['summarize', m.runDir, '--json'], check: (out) => expectEq(JSON.parse(out).run.steps, 2)},
    ],
  },
}

function steps(jsonl) {
  return jsonl
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l)._step)
    .join(',')
}
function expectEq(got, want) {
  return got === want ? null : `expected ${want}, got ${got}`
}
function expectIncludes(text, part) {
  return text.includes(part) ? null : `output lacks ${part.slice(0, 40)}`
}
/** The rewards of the trainer text's datasets: math's from the lines before the monsters, gsm8k's from those after. */
function checkBothSides(out) {
  const s = JSON.parse(out)
  const reward = (source) => s.datasets.find((x) => x.source === source)?.avg_reward
  return expectEq(`math ${reward('math')}, gsm8k ${reward('gsm8k')}`, `math ${3 / 8}, gsm8k ${6 / 8}`)
}

/** Runs `runlog args` under /usr/bin/time: {wallS, peakMiB, status, warnings, problem}. */
function measure(args, check, scratch, env) {
  const outFile = join(scratch, 'stdout')
  const timeFile = join(scratch, 'time')
  const fd = openSync(outFile, 'w')
  const p = spawnSync('/usr/bin/time', ['-f', '%e %M', '-o', timeFile, process.execPath, RUN_JS, ...args], {
    stdio: ['ignore', fd, 'pipe'],
    env: {...process.env, ...env},
    maxBuffer: 64 << 20,
    timeout: 1800_000,
  })
  closeSync(fd)
  const [wall, rssKiB] = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1).split(' ').map(Number)
  const stderr = p.stderr.toString()
  const warnings = stderr.split('\n').filter((l) => l.startsWith('warning:'))
  let problem = p.status === 0 ? null : `exit ${p.status}: ${stderr.trim().split('\n').at(-1)?.slice(0, 200)}`
  if (!problem) {
    const out = statSync(outFile).size < 512 * MiB ? readFileSync(outFile, 'utf8') : ''
    try {
      problem = check(out)
    } catch (error) {
      problem = `unexpected output (${error.message})`
    }
  }
  rmSync(outFile, {force: true})
  return {wallS: wall, peakMiB: rssKiB / 1024, status: p.status, warnings, problem}
}

const keep = argv.includes('--keep')
const casesArg = argv.indexOf('--cases')
const names = casesArg >= 0 ? argv[casesArg + 1].split(',') : Object.keys(CASES)
const top = mkdtempSync(join(tmpdir(), 'runlog-hostile-'))
const rows = []
let failed = false
try {
  process.stderr.write(`hostile inputs in ${top} (${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB)\n`)
  for (const name of names) {
    const c = CASES[name]
    if (!c) throw new Error(`unknown case ${name} (${Object.keys(CASES).join(', ')})`)
    const dir = join(top, name)
    mkdirSync(dir)
    const t0 = performance.now()
    const made = c.make(dir)
    const madeS = (performance.now() - t0) / 1000
    process.stderr.write(`${name}: made ${(made.bytes / 1e6).toFixed(0)} MB in ${madeS.toFixed(0)} s\n`)
    for (const run of c.runs(made)) {
      const r = measure(run.args, run.check, top, c.scaled ? SCALED_ENV : {})
      const cmd = run.args.map((a) => (a.startsWith(top) ? a.slice(top.length + 1) : a)).join(' ')
      if (r.problem || r.peakMiB > 512) failed = true
      const row = {case: name, what: c.what, bytes: made.bytes, command: cmd, ...r}
      rows.push(row)
      const problem = r.problem ? `, PROBLEM: ${r.problem}` : ''
      process.stderr.write(`  ${cmd}: ${r.wallS.toFixed(1)} s, ${r.peakMiB.toFixed(0)} MiB${problem}\n`)
      for (const w of r.warnings) process.stderr.write(`    ${w.slice(0, 220)}\n`)
    }
    if (!keep) rmSync(dir, {recursive: true, force: true})
  }
} finally {
  if (!keep) rmSync(top, {recursive: true, force: true})
}
console.log('| input | size | command | wall | peak RSS | figures |')
console.log('|---|---:|---|---:|---:|---|')
for (const r of rows) {
  const size = `${(r.bytes / 1e6).toFixed(0)} MB`
  console.log(
    `| ${r.what} | ${size} | \`${r.command}\` | ${r.wallS.toFixed(1)} s | ${r.peakMiB.toFixed(0)} MiB | ${r.problem ?? 'ok'} |`,
  )
}
const out = join(ROOT, 'bench', 'out')
mkdirSync(out, {recursive: true})
writeFileSync(join(out, `hostile-${new Date().toISOString().slice(0, 10)}.json`), JSON.stringify(rows, null, 2))
process.exitCode = failed ? 1 : 0
