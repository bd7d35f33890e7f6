#!/usr/bin/env node
// Where the console's classification could run natively, measured on one log (issue 19's choice):
//
//   npm run build && node bench/console-native.js <train.log> [--asc path/to/asc] [--json]
//
// Times (wall and CPU of the whole process, user + system: on a shared machine the CPU is the figure to compare) of:
//   js      the parser as it runs: the log split into lines read as Latin-1 and the marker gate tried on each, then the
//           whole parse (parseTrainerLogFile, settling in parts as summarize does)
//   duckdb  the log as a one-column line table (read_csv), the gate as one regexp_matches, six LIKE/contains classes,
//           one field extracted, the current step as a window function; and the same lines appended from JavaScript
//           strings (how the console lines of a .wandb, which only JavaScript reads, would get into DuckDB)
//   wasm    the gate as WebAssembly built from bench/console-native/classify.ts with AssemblyScript (from npm; not a
//           dependency of runlog: `npm i --no-save assemblyscript@0.27`, or --asc), bytes copied in, one flag per line
// Every variant counts the lines the gate lets through: the counts must agree. --json prints {log, lines, rows}.
import {execFileSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
const log = args.find((a) => !a.startsWith('--') && args[args.indexOf(a) - 1] !== '--asc')
if (!log) {
  process.stderr.write('usage: node bench/console-native.js <train.log> [--asc path/to/asc] [--json]\n')
  process.exit(2)
}
const ascArg = args.includes('--asc') ? args[args.indexOf('--asc') + 1] : join(ROOT, 'node_modules', '.bin', 'asc')

const trainerParser = join(ROOT, 'dist/readers/trainer/trainer-parser.js')
const {TrainerParser, defaultFamilies, parseTrainerLogFile} = await import(trainerParser)
const rows = []
async function measure(option, what, work) {
  const c0 = process.cpuUsage()
  const t0 = performance.now()
  const result = await work()
  const wall = performance.now() - t0
  const cpu = process.cpuUsage(c0)
  rows.push({option, what, wallMs: Math.round(wall), cpuMs: Math.round((cpu.user + cpu.system) / 1000), result})
}

const parser = new TrainerParser({})
const gate = parser.gate
const gateLatin1 = parser.gateLatin1
const bytes = readFileSync(log)
const lineCount = () => {
  let n = 0
  for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) n++
  return n
}
const lines = lineCount()

// --- js
await measure('js', 'split + marker gate (Latin-1)', () => {
  const text = bytes.latin1Slice(0, bytes.length)
  let hit = 0
  let pos = 0
  for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', pos)) {
    if (gateLatin1.test(text.slice(pos, nl))) hit++
    pos = nl + 1
  }
  return `${hit} gated`
})
await measure('js', 'whole parse (parseTrainerLogFile)', async () => {
  let samples = 0
  const onBatch = (b) => void (samples += b.samples.length)
  const ev = await parseTrainerLogFile(log, {settled: {rows: 100_000, onBatch}})
  return `${samples + ev.samples.length} samples, ${ev.lines} lines`
})

// --- duckdb
const {DuckDBInstance, DuckDBDataChunk, VARCHAR} = await import('@duckdb/node-api')
const db = await DuckDBInstance.create(':memory:', {threads: '2'})
const conn = await db.connect()
const quote = (s) => `'${s.replaceAll("'", "''")}'`
const first = async (sql) => {
  const r = await conn.runAndReadAll(sql)
  return r
    .getRows()[0]
    .map((v) => (typeof v === 'bigint' ? Number(v) : v))
    .join(', ')
}
// RE2 takes the gate's pattern once its \xNN / \uNNNN escapes of non-ASCII characters are written as the characters.
const re2 = gate.source
  .replace(/\\x([0-9a-f]{2})/g, (m, h) => (parseInt(h, 16) < 128 ? m : String.fromCharCode(parseInt(h, 16))))
  .replace(/\\u([0-9a-f]{4})/g, (_, h) => String.fromCharCode(parseInt(h, 16)))
await measure('duckdb', 'read_csv into a line table', () =>
  first(
    `CREATE TABLE raw AS SELECT * FROM read_csv(${quote(log)}, columns={'line': 'VARCHAR'}, header=false, ` +
      `delim=E'\\x01', quote='', escape='', auto_detect=false, strict_mode=false)`,
  ).then((n) => `${n} rows`),
)
await measure('duckdb', 'line numbers (row_number)', () =>
  first('CREATE TABLE lines AS SELECT row_number() OVER () AS n, line FROM raw').then((n) => `${n} rows`),
)
await measure('duckdb', 'marker gate (regexp_matches)', () =>
  first(`SELECT count(*) FILTER (WHERE regexp_matches(line, ${quote(re2)})) FROM lines`).then((n) => `${n} gated`),
)
await measure('duckdb', 'six classes (LIKE / contains)', () =>
  first(
    `SELECT count(*) FILTER (WHERE line LIKE 'HTTP Request: %'), count(*) FILTER (WHERE line LIKE 'Token usage: %'), ` +
      `count(*) FILTER (WHERE line LIKE 'Cost: $%'), count(*) FILTER (WHERE contains(line, '📍 Step ')), ` +
      `count(*) FILTER (WHERE contains(line, '判决')), count(*) FILTER (WHERE contains(line, '奖励:')) FROM lines`,
  ),
)
await measure('duckdb', 'one field extracted (token totals)', () =>
  first(
    `SELECT sum(regexp_extract(line, 'Token usage: (\\d+) input \\+ (\\d+) output = (\\d+) total', 3)::BIGINT) ` +
      `FROM lines WHERE contains(line, 'Token usage: ')`,
  ),
)
await measure('duckdb', 'current step (window function)', () =>
  first(
    `SELECT count(DISTINCT step) FROM (SELECT max(TRY_CAST(regexp_extract(line, '📍 Step (\\d+)', 1) AS INT)) ` +
      `OVER (ORDER BY n ROWS UNBOUNDED PRECEDING) AS step FROM lines)`,
  ).then((n) => `${n} steps`),
)
{
  const text = bytes.toString('utf8').split('\n')
  if (text.at(-1) === '') text.pop()
  await conn.run('CREATE TABLE appended (line VARCHAR)')
  await measure('duckdb', 'the same lines appended from JS', async () => {
    const appender = await conn.createAppender('appended')
    const chunk = DuckDBDataChunk.create([VARCHAR])
    for (let s = 0; s < text.length; s += 2048) {
      chunk.setColumns([text.slice(s, s + 2048)])
      appender.appendDataChunk(chunk)
    }
    appender.flushSync()
    appender.closeSync()
    return `${text.length} rows`
  })
}
conn.closeSync()

// --- wasm
if (existsSync(ascArg)) {
  const dir = mkdtempSync(join(tmpdir(), 'runlog-console-native-'))
  try {
    const wasmFile = join(dir, 'classify.wasm')
    execFileSync(ascArg, [join(ROOT, 'bench/console-native/classify.ts'), '-O3', '--runtime', 'stub', '-o', wasmFile])
    const {instance} = await WebAssembly.instantiate(readFileSync(wasmFile), {env: {abort: () => {}}})
    const {classify, memory} = instance.exports
    const markers = new Set(['\x1b', '\r'])
    for (const f of defaultFamilies()) for (const m of f.markers ?? []) if (m) markers.add(m)
    const sorted = [...markers].map((m) => Buffer.from(m, 'utf8')).sort((a, b) => a[0] - b[0])
    const offsets = [0]
    for (const m of sorted) offsets.push(offsets.at(-1) + m.length)
    const MK = 1024
    const MO = MK + offsets.at(-1) + 64
    const BUCKET = MO + offsets.length * 4 + 64
    const OUT = BUCKET + 256 * 8 + 64
    const TEXT = OUT + lines + 64
    const need = TEXT + bytes.length - memory.buffer.byteLength
    if (need > 0) memory.grow(Math.ceil(need / 65536))
    const mem = new Uint8Array(memory.buffer)
    mem.set(Buffer.concat(sorted), MK)
    new Int32Array(memory.buffer, MO, offsets.length).set(offsets)
    const bucket = new Int32Array(memory.buffer, BUCKET, 512)
    for (let b = 0; b < 256; b++) {
      const from = sorted.findIndex((m) => m[0] >= b)
      const to = sorted.findIndex((m) => m[0] > b)
      bucket[2 * b] = from === -1 ? sorted.length : from
      bucket[2 * b + 1] = to === -1 ? sorted.length : to
    }
    await measure('wasm', 'copy in + split + marker gate', () => {
      mem.set(bytes, TEXT)
      const n = classify(TEXT, bytes.length, MK, MO, BUCKET, OUT)
      let hit = 0
      for (let i = 0; i < n; i++) hit += mem[OUT + i]
      return `${hit} gated`
    })
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
} else rows.push({option: 'wasm', what: `skipped: no AssemblyScript compiler at ${ascArg} (see the header)`})

if (args.includes('--json')) {
  console.log(JSON.stringify({log, lines, rows}))
  process.exit(0)
}
const {loadavg} = await import('node:os')
const load = loadavg()
  .map((l) => l.toFixed(1))
  .join(' ')
console.log(`${log}: ${(bytes.length / 1e6).toFixed(1)} MB, ${lines} lines; load average ${load}`)
const row = (cells) => cells.map(([text, width]) => (width < 0 ? text.padEnd(-width) : text.padStart(width))).join(' ')
console.log(
  row([
    ['option', -7],
    ['what', -36],
    ['wall ms', 8],
    ['cpu ms', 7],
    ['ns/line', 8],
    [' result', -1],
  ]),
)
for (const r of rows) {
  const perLine = r.cpuMs === undefined ? '' : ((r.cpuMs * 1e6) / lines).toFixed(0)
  const cells = [
    [r.option, -7],
    [r.what, -36],
    [String(r.wallMs ?? ''), 8],
    [String(r.cpuMs ?? ''), 7],
    [perLine, 8],
  ]
  console.log(row([...cells, [` ${r.result ?? ''}`, -1]]))
}
