#!/usr/bin/env node
// `npm run bench`: reader benchmarks on synthetic GRPO runs in our users' format (made by bench/generate-run.js when
// missing or made by an older generator), checked against the answers the generator wrote (expected.json).
//   node bench/run.js --hostile [bench/hostile.js options]: damaged, hostile and huge inputs instead (bench/hostile.js)
//   node bench/run.js [--reps 3] [--warmup 1] [--runs 130MB,1GB (or 2GB)] [--tasks history,ls,summarize,scan] [--regenerate]
//                     [--timeout 1800]
// Each task runs in its own child process (bench/child.js): wall time (median of the reps, after the warm-up runs),
// that time as a multiple of the CRC-32 floor of the file it reads (one CRC-32 pass over the file, measured in this
// bench run), user+sys CPU time, peak RSS of that process (max over the reps), and whether the issue's target is met.
// Prints a Markdown table to paste into BENCHMARKS.md, and merges the figures into bench/out/results-<date>.json (one
// row per run × task, newest wins).
import {createHash} from 'node:crypto'
import {spawnSync} from 'node:child_process'
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import {cpus, loadavg, tmpdir, totalmem} from 'node:os'
import {crc32} from 'node:zlib'
import {join, relative, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {generateRun, parseSize} from './generate-run.js'
import {WRITER_JS} from './writer.js'

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)))
const OUT = join(ROOT, 'bench', 'out')
const CHILD = join(ROOT, 'bench', 'child.js')

/**
 * Synthetic runs: label, size of the .wandb file, steps (default: from the size, BYTES_PER_STEP each). `optional`
 * runs are measured only when `--runs` names them (2GB: whether memory stays flat past the 1 GB run; ~2 min to make).
 */
const RUNS = [
  {label: '130MB', size: '130MB', steps: 3000, trainLog: true},
  {label: '1GB', size: '1GB', trainLog: true},
  {label: '2GB', size: '2GB', optional: true},
]
/** A generated run is reused only if this generator made it. */
const GENERATOR = createHash('sha256')
  .update(readFileSync(join(ROOT, 'bench', 'generate-run.js')))
  .digest('hex')
  .slice(0, 16)

/**
 * What is measured, one line each. `command` tasks run `runlog <args>` (skipped while dist/commands/<command>.js does
 * not exist); `child` tasks run bench/child.js with those arguments. `run` has runDir, wandbFile, parentDir.
 */
const TASKS = [
  {
    name: 'history --format jsonl',
    command: 'history',
    args: (run) => ['history', run.runDir, '--format', 'jsonl', '--output', '/dev/null'],
  },
  {name: 'ls', command: 'ls', args: (run) => ['ls', run.parentDir]},
  {name: 'summarize', command: 'summarize', args: (run) => ['summarize', run.runDir, '--json'], verify: verifySummary},
  // The trainer's stdout as a log file of its own (the run's console, ~60 % of the .wandb): its floor is its own CRC.
  {
    name: 'summarize train.log',
    command: 'summarize',
    file: 'trainLog',
    args: (run) => ['summarize', run.trainLog, '--json'],
  },
  {name: 'scan (scanRecords + dispatchRecord history)', child: (run) => ['scan', run.wandbFile]},
]

/**
 * Issue 19's targets, as multiples of the CRC-32 floor of the file the task reads (and a peak RSS), by run and task.
 * A task without one here has no target.
 */
const TARGETS = {
  '130MB': {summarize: {floors: 60, rssMiB: 512}, 'history --format jsonl': {floors: 15}, ls: {floors: 5}},
  '1GB': {summarize: {floors: 60, rssMiB: 600}, 'summarize train.log': {floors: 60}},
}

/**
 * Reference figures quoted from issue 19 (measured there on the 133 MB benchmark run, as multiples of its CRC floor),
 * not measured here: wandb's own Python reader is not installable offline, and the TypeScript reader is not ours.
 */
const ANCHORS = [
  {name: "wandb's own Python reader: scan and parse the records (~3 s there)", floors: 66},
  {name: "a VS Code viewer's TypeScript reader: no CRC, the whole file in memory", floors: 33},
]

/** One CRC-32 pass over `file` in 1 MiB reads, in this process: the median of `reps` passes after one warm-up. */
function crcFloorMs(file, reps = 5) {
  const buf = Buffer.allocUnsafe(1 << 20)
  const pass = () => {
    const t0 = process.hrtime.bigint()
    const fd = openSync(file, 'r')
    let crc = 0
    for (let off = 0; ;) {
      const n = readSync(fd, buf, 0, buf.length, off)
      if (n <= 0) break
      crc = crc32(buf.subarray(0, n), crc)
      off += n
    }
    closeSync(fd)
    return Number(process.hrtime.bigint() - t0) / 1e6
  }
  pass()
  return median(Array.from({length: reps}, pass))
}

function parseArgs(argv) {
  const opts = {
    reps: 3,
    warmup: 1,
    runs: RUNS.filter((r) => !r.optional).map((r) => r.label),
    tasks: null,
    regenerate: false,
    timeoutS: 1800,
  }
  for (let i = 0; i < argv.length; i++) {
    const [k, inline] = argv[i].split('=', 2)
    const value = () => inline ?? argv[++i]
    if (k === '--reps') opts.reps = Math.max(1, Number(value()))
    else if (k === '--warmup') opts.warmup = Math.max(0, Number(value()))
    else if (k === '--runs') opts.runs = value().split(',')
    else if (k === '--tasks') opts.tasks = value().split(',')
    else if (k === '--regenerate') opts.regenerate = true
    else if (k === '--timeout') opts.timeoutS = Math.max(1, Number(value()))
    else
      throw new Error(
        `unknown option ${k} (use --reps N --warmup N --runs 130MB,1GB --tasks history,ls,summarize,scan --regenerate --timeout S)`,
      )
  }
  return opts
}

/** The generated run for `spec`, generating it if missing (a finished generation leaves run.json). */
async function ensureRun(spec, regenerate) {
  const parentDir = join(OUT, 'runs', spec.label)
  const marker = join(OUT, 'runs', `${spec.label}.json`)
  if (!regenerate && existsSync(marker)) {
    const run = JSON.parse(readFileSync(marker, 'utf8'))
    const logOk =
      !spec.trainLog || (run.trainLog && existsSync(run.trainLog) && statSync(run.trainLog).size === run.trainLogBytes)
    if (run.generator === GENERATOR && existsSync(run.wandbFile) && statSync(run.wandbFile).size === run.bytes && logOk)
      return run
  }
  rmSync(parentDir, {recursive: true, force: true})
  mkdirSync(parentDir, {recursive: true})
  process.stderr.write(`generating the ${spec.label} run in ${relative(ROOT, parentDir)} …\n`)
  const t0 = performance.now()
  const r = await generateRun({size: parseSize(spec.size), steps: spec.steps, out: parentDir, trainLog: spec.trainLog})
  const secs = (performance.now() - t0) / 1000
  process.stderr.write(
    `  ${(r.bytes / 1e6).toFixed(1)} MB, ${r.steps} steps, ${r.records} records in ${secs.toFixed(1)} s (${(r.bytes / 1e6 / secs).toFixed(0)} MB/s)\n`,
  )
  const run = {
    label: spec.label,
    generator: GENERATOR,
    runDir: r.runDir,
    wandbFile: r.wandbFile,
    parentDir,
    expectedFile: r.expectedFile,
    trainLog: r.trainLog,
    trainLogBytes: r.trainLog ? statSync(r.trainLog).size : null,
    bytes: r.bytes,
    steps: r.steps,
    records: r.records,
    tables: r.tables,
    generateS: secs,
  }
  writeFileSync(marker, JSON.stringify(run, null, 2))
  return run
}

function commandExists(command) {
  const dir = join(ROOT, 'dist', 'commands')
  return existsSync(join(dir, `${command}.js`)) || existsSync(join(dir, command, 'index.js'))
}

/** Runs bench/child.js once: {wallMs, maxRssKiB, stdoutFile, …} or {error}. The child's stdout goes to a file. */
function measureOnce(childArgs, timeoutS) {
  const resultFile = join(tmpdir(), `runlog-bench-${process.pid}.json`)
  const stdoutFile = join(tmpdir(), `runlog-bench-${process.pid}.out`)
  rmSync(resultFile, {force: true})
  const fd = openSync(stdoutFile, 'w')
  const t0 = process.hrtime.bigint()
  const p = spawnSync(process.execPath, [CHILD, ...childArgs], {
    cwd: ROOT,
    env: {...process.env, BENCH_RESULT: resultFile},
    stdio: ['ignore', fd, 'pipe'],
    maxBuffer: 64 << 20,
    timeout: timeoutS * 1000,
    killSignal: 'SIGKILL',
  })
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6
  closeSync(fd)
  if (p.error && p.error.code === 'ETIMEDOUT') return {error: `timed out after ${timeoutS} s`, wallMs}
  if (p.error) return {error: p.error.message, wallMs}
  if (p.status !== 0) {
    const lines = p.stderr.toString().trim().split('\n').filter(Boolean)
    const first = lines.find((l) => !l.startsWith('warning:')) ?? lines[0] ?? ''
    return {error: `exit ${p.status ?? p.signal}: ${first.slice(0, 160)}`, wallMs}
  }
  try {
    return {
      wallMs,
      stdoutFile,
      warnings: p.stderr
        .toString()
        .split('\n')
        .filter((l) => l.startsWith('warning:')).length,
      ...JSON.parse(readFileSync(resultFile, 'utf8')),
    }
  } catch {
    return {error: 'no result from the child process', wallMs}
  } finally {
    rmSync(resultFile, {force: true})
  }
}

/**
 * `summarize --json` output checked against the generator's expected.json: every dataset's count and correct answers,
 * judge calls and total cost (1e-9 relative). A benchmark of a run whose console was not understood would measure nothing.
 */
function verifySummary(run, stdoutText) {
  if (!run.expectedFile || !existsSync(run.expectedFile)) return 'no expected.json'
  const e = JSON.parse(readFileSync(run.expectedFile, 'utf8'))
  let s
  try {
    s = JSON.parse(stdoutText)
  } catch {
    return 'output is not JSON'
  }
  const bad = []
  const near = (a, b) => typeof a === 'number' && Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b))
  for (const split of ['train', 'val']) {
    for (const [source, want] of Object.entries(e[split])) {
      const got = s.datasets.find((d) => d.split === split && d.source === source)
      if (!got || got.count !== want.count || got.correct !== want.correct || !near(got.avg_cost, want.avg_cost))
        bad.push(`${split}/${source}`)
    }
  }
  if (s.judge.calls !== e.judge.calls || s.judge.correct !== e.judge.correct) bad.push('judge')
  if (!near(s.cost.total_cost, e.cost.total_cost) || s.cost.samples !== e.cost.samples) bad.push('cost')
  if (s.checks.length !== e.mismatches.length) bad.push(`checks (${s.checks.length} vs ${e.mismatches.length})`)
  return bad.length ? `MISMATCH: ${bad.join(', ')}` : 'ok'
}

/** The file a task reads (its time is a multiple of that file's floor): the run's .wandb, or its train.log. */
function taskFile(task, run) {
  return task.file === 'trainLog'
    ? {path: run.trainLog, bytes: run.trainLogBytes}
    : {path: run.wandbFile, bytes: run.bytes}
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

function measure(task, run, opts) {
  if (task.command && !commandExists(task.command)) return {skipped: `no \`${task.command}\` command yet`}
  const childArgs = task.command ? ['cli', ...task.args(run)] : task.child(run)
  let verified = null
  const check = (r) => {
    if (task.verify && verified === null && r.stdoutFile)
      verified = task.verify(run, readFileSync(r.stdoutFile, 'utf8'))
  }
  for (let i = 0; i < opts.warmup; i++) {
    const warm = measureOnce(childArgs, opts.timeoutS)
    if (warm.error) return {failed: warm.error, failedAfterS: warm.wallMs / 1000}
    check(warm)
  }
  const results = []
  for (let i = 0; i < opts.reps; i++) {
    const r = measureOnce(childArgs, opts.timeoutS)
    if (r.error) return {failed: r.error, failedAfterS: r.wallMs / 1000}
    check(r)
    results.push(r)
  }
  const walls = results.map((r) => r.wallMs)
  const wallMs = median(walls)
  return {
    wallMs,
    minMs: Math.min(...walls),
    maxMs: Math.max(...walls),
    wallsMs: walls,
    mbPerS: taskFile(task, run).bytes / 1e6 / (wallMs / 1000),
    rssMiB: Math.max(...results.map((r) => r.maxRssKiB)) / 1024,
    rssMiBs: results.map((r) => r.maxRssKiB / 1024),
    cpuS: median(results.map((r) => (r.cpuUserMs + r.cpuSystemMs) / 1000)),
    warnings: results[0].warnings,
    verified,
    reps: opts.reps,
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2))
  if (!existsSync(join(ROOT, 'dist')) || !existsSync(WRITER_JS))
    throw new Error('dist/ or build/support is missing: build first (npm run bench builds both)')
  const specs = opts.runs.map((label) => {
    const s = RUNS.find((r) => r.label.toLowerCase() === label.toLowerCase())
    if (!s) throw new Error(`unknown run ${label} (known: ${RUNS.map((r) => r.label).join(', ')})`)
    return s
  })
  const tasks = opts.tasks ? TASKS.filter((t) => opts.tasks.some((n) => t.name.startsWith(n))) : TASKS
  const rows = []
  const floors = []
  const loadBefore = loadavg()
  for (const spec of specs) {
    const run = await ensureRun(spec, opts.regenerate)
    // The floor of every file this run's tasks read, measured now, in this bench run, on the same machine state.
    const floorOf = new Map()
    for (const task of tasks) {
      const f = taskFile(task, run)
      if (!f.path || floorOf.has(f.path)) continue
      floorOf.set(f.path, crcFloorMs(f.path))
      floors.push({run: run.label, file: relative(ROOT, f.path), bytes: f.bytes, floorMs: floorOf.get(f.path)})
      process.stderr.write(
        `${spec.label}: CRC-32 floor of ${relative(ROOT, f.path)}: ${floorOf.get(f.path).toFixed(1)} ms\n`,
      )
    }
    for (const task of tasks) {
      process.stderr.write(`${spec.label}: ${task.name} …\n`)
      const f = taskFile(task, run)
      const r = f.path ? measure(task, run, opts) : {skipped: 'no train.log'}
      if (r.wallMs !== undefined) {
        r.floorMs = floorOf.get(f.path)
        r.floors = r.wallMs / r.floorMs
        r.target = TARGETS[run.label]?.[task.name] ?? null
        r.targetMet = r.target ? r.floors <= r.target.floors && (!r.target.rssMiB || r.rssMiB <= r.target.rssMiB) : null
      }
      process.stderr.write(
        `  ${r.failed ? `FAILED: ${r.failed}` : r.skipped ? `skipped: ${r.skipped}` : `${(r.wallMs / 1000).toFixed(2)} s (${r.floors.toFixed(1)}× floor), ${r.rssMiB.toFixed(0)} MiB`}\n`,
      )
      rows.push({run, task, r})
    }
  }
  const loadAfter = loadavg()
  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown CPU',
    threads: cpus().length,
    ramGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  }
  const date = new Date().toISOString()
  const load = (l) => l.map((x) => x.toFixed(2)).join(' ')
  const lines = [
    `runlog reader benchmark, ${date.slice(0, 16).replace('T', ' ')} UTC — Node ${machine.node}, ${machine.cpu} (${machine.threads} threads, ${machine.ramGiB} GiB RAM); load average ${load(loadBefore)} before, ${load(loadAfter)} after`,
    `wall time = median of ${opts.reps} rep(s) after ${opts.warmup} warm-up run(s) (min–max in brackets); × floor = wall time / the CRC-32 floor of the file read (one CRC-32 pass over it in 1 MiB reads, median of 5, measured in this bench run); CPU = user+sys, median; peak RSS = max over the reps`,
    '',
    '| run | file | MB | CRC-32 floor ms |',
    '|---|---|---:|---:|',
    ...floors.map((f) => `| ${f.run} | \`${f.file}\` | ${(f.bytes / 1e6).toFixed(1)} | ${f.floorMs.toFixed(1)} |`),
    '',
    '| run | task | reps | wall s (min–max) | × floor | CPU s | peak RSS MiB | target | met? | check |',
    '|---|---|---:|---:|---:|---:|---:|---|---|---|',
  ]
  const cell = (s) => String(s).replaceAll('|', '\\|')
  for (const {run, task, r} of rows) {
    const head = `| ${run.label} | ${task.name} |`
    if (r.skipped) lines.push(`${head} | skipped: ${cell(r.skipped)} | | | | | | | |`)
    else if (r.failed)
      lines.push(`${head} | FAILED after ${r.failedAfterS.toFixed(1)} s: ${cell(r.failed)} | | | | | | | |`)
    else {
      const range = r.reps > 1 ? ` (${(r.minMs / 1000).toFixed(2)}–${(r.maxMs / 1000).toFixed(2)})` : ''
      const target = r.target ? `≤ ${r.target.floors}×${r.target.rssMiB ? `, ≤ ${r.target.rssMiB} MiB` : ''}` : ''
      const met = r.targetMet === null ? '' : r.targetMet ? 'yes' : '**no**'
      lines.push(
        `${head} ${r.reps} | ${(r.wallMs / 1000).toFixed(2)}${range} | ${r.floors.toFixed(1)}× | ${r.cpuS.toFixed(2)} | ${r.rssMiB.toFixed(0)} | ${target} | ${met} | ${r.verified ?? ''} |`,
      )
    }
  }
  // Reference lines, one per anchor, against each run's .wandb floor: what that multiple would be in seconds here.
  for (const a of ANCHORS) {
    const here = floors
      .filter((f) => f.file.endsWith('.wandb'))
      .map((f) => `${f.run} ≈ ${((a.floors * f.floorMs) / 1000).toFixed(2)} s`)
    lines.push(
      `| (reference) | ${a.name} — quoted from issue 19, not measured here | | ${here.join(', ')} | ${a.floors}× | | | | | |`,
    )
  }
  lines.push(
    '',
    'Reference rows are figures quoted from issue 19 (its 133 MB run), not measured here: the Python reader is not installable offline.',
  )
  process.stdout.write(`${lines.join('\n')}\n`)

  // Results, merged per day: a later measurement of the same run × task replaces the earlier one.
  mkdirSync(OUT, {recursive: true})
  const file = join(OUT, `results-${date.slice(0, 10)}.json`)
  const old = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {results: []}
  const fresh = rows.map(({run, task, r}) => ({
    run: run.label,
    bytes: run.bytes,
    steps: run.steps,
    records: run.records,
    task: task.name,
    measuredAt: date,
    warmup: opts.warmup,
    ...r,
  }))
  const key = (x) => `${x.run}|${x.task}`
  const merged = [...old.results.filter((x) => !fresh.some((f) => key(f) === key(x))), ...fresh]
  writeFileSync(file, `${JSON.stringify({machine, loadBefore, loadAfter, floors, results: merged}, null, 2)}\n`)
  process.stderr.write(`results in ${relative(ROOT, file)}\n`)
}

// `--hostile [hostile.js options]`: the hostile-input benchmark (bench/hostile.js) instead.
if (process.argv[2] === '--hostile') {
  process.argv.splice(2, 1)
  await import('./hostile.js')
} else
  main().catch((error) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : error}\n`)
    process.exitCode = 1
  })
