// Throughput of the trainer stdout parser on a large log.
//
//   npx tsc -p tsconfig.build.json
//   node bench/parse-trainer.js [log] [--mode file|push|both] [--runs N]
//
// Without a log it builds /tmp/runlog-trainer-bench.log (≥ 100 MiB): training_p30.log (real output) and the grpo-sample
// train.log (per-call costs) repeated. Each run is a fresh child process, so peak RSS (ru_maxrss) is that run's alone.
// `file` times parseTrainerLogFile(path); `push` reads the file into lines first (not timed) and times TrainerParser.push
// line by line + finish(). Prints MB/s (MB = 10^6 bytes) and peak RSS per run and the median of the runs.
import {spawnSync} from 'node:child_process'
import {closeSync, existsSync, openSync, readFileSync, statSync, writeSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
// RUNLOG_DIST=/other/dist compares another build (e.g. the previous version compiled elsewhere).
const parserUrl = process.env.RUNLOG_DIST
  ? new URL(`file://${process.env.RUNLOG_DIST}/readers/trainer/trainer-parser.js`).href
  : new URL('../dist/readers/trainer/trainer-parser.js', import.meta.url).href

async function child(mode, path) {
  const {parseTrainerLogFile, TrainerParser} = await import(parserUrl)
  const bytes = statSync(path).size
  let ms
  let cpu
  let events
  if (mode === 'file') {
    const c0 = process.cpuUsage()
    const t0 = performance.now()
    events = await parseTrainerLogFile(path)
    ms = performance.now() - t0
    cpu = process.cpuUsage(c0)
  } else {
    const lines = readFileSync(path, 'utf8').split('\n')
    if (lines[lines.length - 1] === '') lines.pop()
    const c0 = process.cpuUsage()
    const t0 = performance.now()
    const p = new TrainerParser()
    for (let i = 0; i < lines.length; i++) p.push(lines[i])
    events = p.finish()
    ms = performance.now() - t0
    cpu = process.cpuUsage(c0)
  }
  const counts = {
    lines: events.lines,
    samples: events.samples.length,
    apiCalls: events.apiCalls.length,
    judgeEvents: events.judgeEvents.length,
    stepTallies: events.stepTallies.length,
    collectorSummaries: events.collectorSummaries.length,
    stepMetrics: events.stepMetrics.length,
    steps: events.steps.length,
    warnings: events.warnings.length,
  }
  const heapMB = process.memoryUsage().heapUsed / 2 ** 20
  process.stdout.write(
    JSON.stringify({
      ms,
      cpuMs: (cpu.user + cpu.system) / 1000,
      bytes,
      rssMB: process.resourceUsage().maxRSS / 1024,
      heapMB,
      counts,
    }) + '\n',
  )
}

function buildInput(path) {
  if (existsSync(path) && statSync(path).size >= 100 * 2 ** 20) return
  const a = readFileSync(join(root, 'test/fixtures/trainer-logs/training_p30.log'))
  const b = readFileSync(join(root, 'test/fixtures/grpo-sample/train.log'))
  const fd = openSync(path, 'w')
  let n = 0
  while (n < 100 * 2 ** 20) {
    writeSync(fd, a)
    writeSync(fd, b)
    n += a.length + b.length
  }
  closeSync(fd)
}

const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]

async function main() {
  const args = process.argv.slice(2)
  if (args[0] === '--child') return child(args[1], args[2])
  let path = null
  let modes = ['file', 'push']
  let runs = 3
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--mode') modes = args[++i] === 'both' ? ['file', 'push'] : [args[i]]
    else if (args[i] === '--runs') runs = Number(args[++i])
    else path = args[i]
  }
  if (path === null) {
    path = '/tmp/runlog-trainer-bench.log'
    buildInput(path)
  }
  const size = statSync(path).size
  console.log(`${path}: ${(size / 1e6).toFixed(1)} MB`)
  for (const mode of modes) {
    const rates = []
    const rss = []
    let counts = null
    for (let r = 0; r < runs; r++) {
      const out = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', mode, path], {
        encoding: 'utf8',
        maxBuffer: 1 << 24,
      })
      if (out.status !== 0) throw new Error(`child failed: ${out.stderr}`)
      const res = JSON.parse(out.stdout.trim().split('\n').pop())
      const rate = res.bytes / 1e6 / (res.ms / 1000)
      rates.push(rate)
      rss.push(res.rssMB)
      counts = res.counts
      console.log(
        `  ${mode} run ${r + 1}: ${res.ms.toFixed(0)} ms (cpu ${res.cpuMs.toFixed(0)} ms), ${rate.toFixed(1)} MB/s, peak RSS ${res.rssMB.toFixed(0)} MB, heap after ${res.heapMB.toFixed(0)} MB`,
      )
    }
    console.log(
      `${mode}: median ${median(rates).toFixed(1)} MB/s, peak RSS ${median(rss).toFixed(0)} MB  ${JSON.stringify(counts)}`,
    )
  }
}

await main()
