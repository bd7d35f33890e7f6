#!/usr/bin/env node
// `npm run bench`: reader benchmarks on synthetic GRPO-like runs (made by bench/generate-run.js when missing).
//   node bench/run.js [--reps 3] [--runs 130MB,1GB] [--tasks history,scan] [--regenerate]
// Each task runs in its own child process (bench/child.js): wall time (median of the reps, after one warm-up),
// MB/s of the .wandb file, peak RSS of that process (max over the reps). Prints a Markdown table.
import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {cpus, tmpdir} from 'node:os'
import {join, relative, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {generateRun, parseSize} from './generate-run.js'

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)))
const OUT = join(ROOT, 'bench', 'out')
const CHILD = join(ROOT, 'bench', 'child.js')

/** Synthetic runs: label, size of the .wandb file, steps (default: 3000 per 130 MB). */
const RUNS = [
  {label: '130MB', size: '130MB', steps: 3000},
  {label: '1GB', size: '1GB'},
]

/**
 * What is measured, one line each. `command` tasks run `runlog <args>` (skipped while dist/commands/<command>.js does
 * not exist); `child` tasks run bench/child.js with those arguments. `run` has runDir, wandbFile, parentDir.
 */
const TASKS = [
  {name: 'history --format jsonl', command: 'history', args: (run) => ['history', run.runDir, '--format', 'jsonl', '--output', '/dev/null']},
  {name: 'ls', command: 'ls', args: (run) => ['ls', run.parentDir]},
  {name: 'summarize', command: 'summarize', args: (run) => ['summarize', run.runDir]},
  {name: 'scan (scanRecords + dispatchRecord history)', child: (run) => ['scan', run.wandbFile]},
]

function parseArgs(argv) {
  const opts = {reps: 3, runs: RUNS.map((r) => r.label), tasks: null, regenerate: false}
  for (let i = 0; i < argv.length; i++) {
    const [k, inline] = argv[i].split('=', 2)
    const value = () => inline ?? argv[++i]
    if (k === '--reps') opts.reps = Math.max(1, Number(value()))
    else if (k === '--runs') opts.runs = value().split(',')
    else if (k === '--tasks') opts.tasks = value().split(',')
    else if (k === '--regenerate') opts.regenerate = true
    else throw new Error(`unknown option ${k} (use --reps N --runs 130MB,1GB --tasks history,scan --regenerate)`)
  }
  return opts
}

/** The generated run for `spec`, generating it if missing (a finished generation leaves run.json). */
async function ensureRun(spec, regenerate) {
  const parentDir = join(OUT, 'runs', spec.label)
  const marker = join(OUT, 'runs', `${spec.label}.json`)
  if (!regenerate && existsSync(marker)) {
    const run = JSON.parse(readFileSync(marker, 'utf8'))
    if (existsSync(run.wandbFile) && statSync(run.wandbFile).size === run.bytes) return run
  }
  rmSync(parentDir, {recursive: true, force: true})
  mkdirSync(parentDir, {recursive: true})
  process.stderr.write(`generating the ${spec.label} run in ${relative(ROOT, parentDir)} …\n`)
  const t0 = performance.now()
  const r = await generateRun({size: parseSize(spec.size), steps: spec.steps, out: parentDir})
  const secs = (performance.now() - t0) / 1000
  process.stderr.write(`  ${(r.bytes / 1e6).toFixed(1)} MB, ${r.steps} steps, ${r.records} records in ${secs.toFixed(1)} s (${(r.bytes / 1e6 / secs).toFixed(0)} MB/s)\n`)
  const run = {label: spec.label, runDir: r.runDir, wandbFile: r.wandbFile, parentDir, bytes: r.bytes, steps: r.steps, records: r.records}
  writeFileSync(marker, JSON.stringify(run, null, 2))
  return run
}

function commandExists(command) {
  const dir = join(ROOT, 'dist', 'commands')
  return existsSync(join(dir, `${command}.js`)) || existsSync(join(dir, command, 'index.js'))
}

/** Runs bench/child.js once: {wallMs, maxRssKiB, …} or {error}. */
function measureOnce(childArgs) {
  const resultFile = join(tmpdir(), `runlog-bench-${process.pid}.json`)
  rmSync(resultFile, {force: true})
  const t0 = process.hrtime.bigint()
  const p = spawnSync(process.execPath, [CHILD, ...childArgs], {
    cwd: ROOT,
    env: {...process.env, BENCH_RESULT: resultFile},
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 64 << 20,
  })
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6
  if (p.error) return {error: p.error.message}
  if (p.status !== 0) {
    const first = p.stderr.toString().trim().split('\n').find(Boolean) ?? ''
    return {error: `exit ${p.status ?? p.signal}: ${first.slice(0, 120)}`}
  }
  try {
    return {wallMs, ...JSON.parse(readFileSync(resultFile, 'utf8'))}
  } catch {
    return {error: 'no result from the child process'}
  } finally {
    rmSync(resultFile, {force: true})
  }
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

function measure(task, run, reps) {
  if (task.command && !commandExists(task.command)) return {skipped: `no \`${task.command}\` command yet`}
  const childArgs = task.command ? ['cli', ...task.args(run)] : task.child(run)
  const warm = measureOnce(childArgs)
  if (warm.error) return {failed: warm.error}
  const results = []
  for (let i = 0; i < reps; i++) {
    const r = measureOnce(childArgs)
    if (r.error) return {failed: r.error}
    results.push(r)
  }
  const wallMs = median(results.map((r) => r.wallMs))
  return {
    wallMs,
    mbPerS: run.bytes / 1e6 / (wallMs / 1000),
    rssMiB: Math.max(...results.map((r) => r.maxRssKiB)) / 1024,
    reps,
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2))
  if (!existsSync(join(ROOT, 'dist', 'writer', 'wandb-writer.js')))
    throw new Error('dist/ is missing: build first (npm run bench builds, or npx tsc -p tsconfig.build.json)')
  const specs = opts.runs.map((label) => {
    const s = RUNS.find((r) => r.label.toLowerCase() === label.toLowerCase())
    if (!s) throw new Error(`unknown run ${label} (known: ${RUNS.map((r) => r.label).join(', ')})`)
    return s
  })
  const tasks = opts.tasks ? TASKS.filter((t) => opts.tasks.some((n) => t.name.startsWith(n))) : TASKS
  const rows = []
  for (const spec of specs) {
    const run = await ensureRun(spec, opts.regenerate)
    for (const task of tasks) {
      process.stderr.write(`${spec.label}: ${task.name} …\n`)
      rows.push({run, task, r: measure(task, run, opts.reps)})
    }
  }
  const cpu = cpus()[0]?.model ?? 'unknown CPU'
  const lines = [
    `runlog reader benchmark — Node ${process.version}, ${cpu} (${cpus().length} threads); median wall time of ${opts.reps} rep(s) after a warm-up; peak RSS = max over the reps`,
    '',
    '| run | .wandb MB | steps | task | wall s | MB/s | peak RSS MiB |',
    '|---|---:|---:|---|---:|---:|---:|',
  ]
  for (const {run, task, r} of rows) {
    const head = `| ${run.label} | ${(run.bytes / 1e6).toFixed(1)} | ${run.steps} | ${task.name} |`
    const note = r.skipped ? `skipped: ${r.skipped}` : r.failed ? `FAILED: ${r.failed}` : null
    lines.push(note ? `${head} ${note.replaceAll('|', '\\|')} | | |` : `${head} ${(r.wallMs / 1000).toFixed(2)} | ${r.mbPerS.toFixed(0)} | ${r.rssMiB.toFixed(0)} |`)
  }
  process.stdout.write(`${lines.join('\n')}\n`)
}

main().catch((error) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : error}\n`)
  process.exitCode = 1
})

