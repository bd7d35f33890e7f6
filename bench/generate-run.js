#!/usr/bin/env node
// Makes a synthetic GRPO-like offline wandb run directory of about a given size, for benchmarks:
//   node bench/generate-run.js --size 130MB [--steps 3000] [--out bench/out/runs] [--seed 1]
// Writes <out>/offline-run-YYYYMMDD_HHMMSS-<id>/{run-<id>.wandb, files/…} and prints the run directory.
// Needs the compiled writer (dist/writer/wandb-writer.js): `npx tsc -p tsconfig.build.json`.
import {mkdirSync, writeFileSync} from 'node:fs'
import {join, resolve} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)))

const SOURCES = ['gsm8k', 'math', 'hotpotqa', 'humaneval', 'mmlu', 'commonsenseqa']
const TASK_OF = {gsm8k: 'math', math: 'math', hotpotqa: 'qa', humaneval: 'code', mmlu: 'qa', commonsenseqa: 'qa'}
const VERDICTS = [
  ['✅ 完美', 1.0],
  ['🟡 部分正确', 0.5],
  ['❌ 错误', 0.0],
  ['✅ 完美', 1.0],
  ['⚠️ 格式错误', 0.0],
]
const QUESTIONS = [
  'Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. How many clips did Natalia sell altogether?',
  'Find the remainder when $x^{100}$ is divided by $(x + 1)^3$.',
  'Which magazine was started first, Arthur’s Magazine or First for Women?',
  'def has_close_elements(numbers: List[float], threshold: float) -> bool:',
  'The longest bone in the human body is the: (A) femur (B) tibia (C) humerus (D) fibula',
  'Where would you put a plate after washing it? (A) cupboard (B) table (C) dishwasher (D) restaurant',
]

/** Parses `130MB`, `1GB`, `500k`, `2000000` into bytes (powers of 1000, like file managers; `MiB`/`GiB` are 1024-based). */
export function parseSize(text) {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)(i?)b?$/i.exec(String(text).trim())
  if (!m) throw new Error(`bad size ${text} (e.g. 130MB, 1GB)`)
  const base = m[3] ? 1024 : 1000
  const exp = {'': 0, k: 1, m: 2, g: 3, t: 4}[m[2].toLowerCase()]
  return Math.round(Number(m[1]) * base ** exp)
}

/** Deterministic PRNG (mulberry32). */
function rng(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function pad2(n) {
  return String(n).padStart(2, '0')
}

/**
 * Generates the run. Options: size (bytes, target for the .wandb file), steps (default 3000 per 130 MB),
 * out (parent dir), seed, startTime (Unix seconds). Returns {runDir, wandbFile, bytes, steps, records}.
 */
export async function generateRun({size, steps, out = join(ROOT, 'bench', 'out', 'runs'), seed = 1, startTime = 1764000000}) {
  const {WandbWriter} = await import(pathToFileURL(join(ROOT, 'dist', 'writer', 'wandb-writer.js')).href)
  const random = rng(seed)
  steps ??= Math.max(1, Math.round((3000 * size) / 130e6))
  const id = Array.from({length: 8}, () => 'abcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(random() * 36)]).join('')
  const d = new Date(startTime * 1000)
  const stamp = `${d.getUTCFullYear()}${pad2(d.getUTCMonth() + 1)}${pad2(d.getUTCDate())}_${pad2(d.getUTCHours())}${pad2(d.getUTCMinutes())}${pad2(d.getUTCSeconds())}`
  const runDir = join(out, `offline-run-${stamp}-${id}`)
  mkdirSync(join(runDir, 'files'), {recursive: true})
  mkdirSync(join(runDir, 'logs'), {recursive: true})
  const wandbFile = join(runDir, `run-${id}.wandb`)

  const config = {
    model_name: 'Qwen/Qwen2.5-7B-Instruct',
    learning_rate: 1e-6,
    num_generations: 8,
    per_device_train_batch_size: 4,
    max_steps: steps,
    judge_model: 'gpt-4o-mini',
    datasets: SOURCES,
    beta: 0.04,
  }
  const w = WandbWriter.open(wandbFile)
  w.header('0.21.1+5fa5c4a0b7b7f3b1e3f0f0d6c1b6a2e4d8c9a1b2', '0.40.0')
  w.run({runId: id, project: 'grpo-bench', displayName: `grpo-${id}`, startTime, host: 'gpu-node-07', config})
  w.telemetry('0.21.1', '3.11.9')
  w.config(config)

  const perStep = size / steps
  let t = startTime + 30
  let records = 0
  let totalCost = 0
  const line = (stream, text) => {
    w.output(stream, text, t)
    records++
  }
  for (let step = 1; step <= steps; step++) {
    const stepStart = w.offset
    line('stdout', `\n📍 Step ${step}/${steps}\n${'='.repeat(60)}\n`)
    const stats = Object.fromEntries(SOURCES.map((s) => [s, {n: 0, correct: 0, reward: 0, cost: 0}]))
    let sample = 0
    let judgeCalls = 0
    let judgeFail = 0
    // Per-sample console blocks until this step's share of the target size is written.
    while (w.offset - stepStart < perStep - 1500) {
      const source = SOURCES[Math.floor(random() * SOURCES.length)]
      const task = TASK_OF[source]
      const [verdict, score] = VERDICTS[Math.floor(random() * VERDICTS.length)]
      const cost = 0.0005 + random() * 0.002
      const secs = 1 + random() * 9
      const s = stats[source]
      s.n++
      s.correct += score === 1 ? 1 : 0
      s.reward += score
      s.cost += cost
      judgeCalls++
      if (random() < 0.01) judgeFail++
      t += secs / 20
      // One console fragment per sample block (wandb batches console output into records), the HTTP log on stderr.
      line(
        'stdout',
        `📊 评估输入 (${task}, source=${source}):\n` +
          `   问题: ${QUESTIONS[SOURCES.indexOf(source)]}\n` +
          `   模型答案: ${'The answer is '.repeat(1 + Math.floor(random() * 4))}${Math.floor(random() * 1000)}\n`,
      )
      line('stderr', `HTTP Request: POST https://api.openai.com/v1/chat/completions "HTTP/1.1 200 OK"\n`)
      line(
        'stdout',
        `判决: ${verdict} (${score.toFixed(1)})\n🧪 执行成功 | cost: ${cost.toFixed(4)} | 用时: ${secs.toFixed(1)}s\n` +
          (sample++ % 8 === 7 ? `  [sample ${sample}] reward=${score.toFixed(3)} len=${Math.floor(random() * 2048)} tokens\n` : ''),
      )
    }
    t += 2
    const items = {}
    let n = 0
    let correct = 0
    let cost = 0
    for (const source of SOURCES) {
      const s = stats[source]
      n += s.n
      correct += s.correct
      cost += s.cost
      items[`dataset/${source}/accuracy`] = s.n ? s.correct / s.n : NaN
      items[`dataset/${source}/count`] = s.n
      items[`dataset/${source}/avg_reward`] = s.n ? s.reward / s.n : NaN
      items[`dataset/${source}/avg_cost`] = s.n ? s.cost / s.n : 0
    }
    totalCost += cost
    Object.assign(items, {
      'judge/calls': judgeCalls,
      'judge/failures': judgeFail,
      'judge/failure_rate': judgeCalls ? judgeFail / judgeCalls : 0,
      'judge/avg_latency_s': 3 + random() * 4,
      'cost/step_usd': cost,
      'cost/total_usd': totalCost,
      'cost/per_correct_usd': correct ? cost / correct : Infinity,
      'train/loss': 0.7 * Math.exp(-step / steps) + random() * 0.05,
      'train/reward': n ? correct / n : 0,
      'train/kl': random() * 0.01,
      'train/grad_norm': 0.5 + random(),
      'train/learning_rate': 1e-6,
      'train/global_step': step,
      'train/epoch': step / steps,
      _step: step - 1,
      _runtime: t - startTime,
      _timestamp: t,
    })
    w.history(step - 1, items)
    records++
    if (step % 10 === 0) {
      w.stats(t, {
        'gpu.0.gpu': 90 + random() * 10,
        'gpu.0.memoryAllocated': 70 + random() * 20,
        'gpu.0.temp': 60 + random() * 15,
        cpu: 20 + random() * 30,
        'memory_percent': 40 + random() * 10,
        'network.sent': step * 12345,
        'network.recv': step * 54321,
      })
      records++
    }
    if (step % 100 === 0 || step === steps) {
      w.summary({'train/loss': items['train/loss'], 'cost/total_usd': totalCost, _step: step - 1})
      records++
    }
  }
  w.exit(0, Math.round(t - startTime))
  const bytes = w.offset
  w.close()

  writeFileSync(join(runDir, 'files', 'output.log'), '')
  writeFileSync(join(runDir, 'files', 'requirements.txt'), 'torch==2.5.1\ntransformers==4.47.0\ntrl==0.13.0\nwandb==0.21.1\n')
  writeFileSync(
    join(runDir, 'files', 'wandb-metadata.json'),
    JSON.stringify({os: 'Linux', python: 'CPython 3.11.9', program: 'train_grpo.py', host: 'gpu-node-07', gpu: 'NVIDIA H100 80GB HBM3', gpu_count: 8}, null, 2),
  )
  writeFileSync(join(runDir, 'logs', 'debug.log'), '')
  return {runDir, wandbFile, bytes, steps, records}
}

function parseArgs(argv) {
  const opts = {}
  for (let i = 0; i < argv.length; i++) {
    const [k, inline] = argv[i].split('=', 2)
    const v = inline ?? argv[++i]
    if (k === '--size') opts.size = parseSize(v)
    else if (k === '--steps') opts.steps = Number(v)
    else if (k === '--out') opts.out = resolve(v)
    else if (k === '--seed') opts.seed = Number(v)
    else throw new Error(`unknown option ${k} (use --size 130MB [--steps N] [--out DIR] [--seed N])`)
  }
  if (!opts.size) throw new Error('--size is required (e.g. --size 130MB or --size 1GB)')
  return opts
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const t0 = performance.now()
    const r = await generateRun(parseArgs(process.argv.slice(2)))
    const secs = (performance.now() - t0) / 1000
    process.stderr.write(`${r.wandbFile}: ${(r.bytes / 1e6).toFixed(1)} MB, ${r.steps} steps, ${r.records} records in ${secs.toFixed(1)} s (${(r.bytes / 1e6 / secs).toFixed(0)} MB/s)\n`)
    process.stdout.write(`${r.runDir}\n`)
  } catch (error) {
    process.stderr.write(`generate-run: ${error instanceof Error ? error.message : error}\n`)
    process.exitCode = 1
  }
}
