#!/usr/bin/env node
// Makes a synthetic offline wandb run of the GRPO workflow trainer our users run, modeled on the bundled sample
// test/fixtures/grpo-sample/ (same console text, record chunking, history keys, wandb Tables), plus the answers:
//   node bench/generate-run.js --size 130MB | --steps N  [--out DIR] [--seed 1] [--batch 8] [--group 2]
//                              [--verbosity 9] [--val-every 10] [--val-size 12] [--train-log]
//                              [--judge-outage FROM-TO[:api|parse][@FAIL_RATE]] [--hard-dataset SOURCE]
// Writes DIR/offline-run-YYYYMMDD_HHMMSS-<id>/{run-<id>.wandb, files/wandb-metadata.json, files/media/table/*.table.json},
// DIR/expected.json (the figures runlog must recompute, shaped like the sample's) and, with --train-log, DIR/train.log
// (the stdout stream as a plain log). Prints the run directory. Deterministic for given options (seeded PRNG).
// Needs the compiled writer (build/support, see bench/writer.js): `npm run build:support`.
import {createHash} from 'node:crypto'
import {closeSync, mkdirSync, openSync, writeFileSync, writeSync} from 'node:fs'
import {join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {loadWriter} from './writer.js'

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)))

/** `.wandb` bytes one training step takes with the default options (measured): `--size` picks the step count from it. */
export const BYTES_PER_STEP = 43_200

/** Datasets, their problem type and how often the sampler draws them. */
const SOURCES = [
  {source: 'math', type: 'math', weight: 0.2, skill: -0.08},
  {source: 'gsm8k', type: 'math', weight: 0.17, skill: 0.02},
  {source: 'humaneval', type: 'code', weight: 0.17, skill: -0.03},
  {source: 'hotpotqa', type: 'qa', weight: 0.16, skill: 0.04},
  {source: 'commonsenseqa', type: 'qa', weight: 0.15, skill: 0.15},
  {source: 'mmlu', type: 'qa', weight: 0.15, skill: -0.02},
]
const SORTED_SOURCES = SOURCES.map((s) => s.source).sort()
const TYPE_OF = Object.fromEntries(SOURCES.map((s) => [s.source, s.type]))
/** Graded judge verdicts below "perfect", as the trainer prints them. */
const PARTIAL = [
  ['🟡', '接近', 0.7],
  ['🟠', '部分', 0.4],
  ['❌', '错误', 0.0],
]
const QUESTIONS = {
  math: [
    'Find the remainder when $x^{100}$ is divided by $(x + 1)^3$.',
    'How many positive divisors does 6! have?',
    'Compute $\\dbinom{16}{5}$.',
  ],
  gsm8k: [
    'Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. How many clips did Natalia sell altogether in April and May?',
    'Weng earns $12 an hour for babysitting. Yesterday, she just did 50 minutes of babysitting. How much did she earn?',
  ],
  humaneval: [
    'def has_close_elements(numbers: List[float], threshold: float) -> bool:',
    'def separate_paren_groups(paren_string: str) -> List[str]:',
  ],
  hotpotqa: [
    'Which magazine was started first, Arthur’s Magazine or First for Women?',
    'Were Scott Derrickson and Ed Wood of the same nationality?',
  ],
  commonsenseqa: [
    'Where would you put a plate after washing it? (A) cupboard (B) table (C) dishwasher (D) restaurant (E) sink',
  ],
  mmlu: ['The longest bone in the human body is the: (A) femur (B) tibia (C) humerus (D) fibula'],
}
const PREDICTIONS = {
  math: ['42', '\\frac{3}{4}', '3003', '30'],
  gsm8k: ['72', '10', '42', '18'],
  humaneval: ['<code>'],
  hotpotqa: ['Arthur’s Magazine', 'yes', 'no'],
  commonsenseqa: ['A', 'B', 'C'],
  mmlu: ['A', 'B', 'D'],
}
const REASONING = [
  'Let me work through this step by step.',
  'First, identify what the question is asking for and the quantities involved.',
  'In April she sold 48 clips; in May she sold half as many, which is 48 / 2 = 24 clips.',
  'Checking the edge cases: an empty list returns False, a single element returns False.',
  'Both candidates are plausible, so compare the founding years given in the context passages.',
  'Substituting back into the original equation confirms the result.',
  'The answer must be one of the listed options, so eliminate the ones that contradict the premise.',
  'for i, a in enumerate(numbers):\n        for j, b in enumerate(numbers):\n            if i != j and abs(a - b) < threshold:\n                return True',
]
const STDERR_WARNINGS = [
  '/opt/conda/lib/python3.10/site-packages/transformers/generation/configuration_utils.py:628: UserWarning: `do_sample` is set to `False`. However, `temperature` is set to `0.9` -- this flag is only used in sample-based generation modes.\n  warnings.warn(\n',
  '/opt/conda/lib/python3.10/site-packages/torch/utils/checkpoint.py:464: UserWarning: torch.utils.checkpoint: the use_reentrant parameter should be passed explicitly.\n  warnings.warn(\n',
]
const TF_BANNER = [
  '2025-11-24 01:07:16.412087: E external/local_xla/xla/stream_executor/cuda/cuda_fft.cc:477] Unable to register cuFFT factory: Attempting to register factory for plugin cuFFT when one has already been registered\n',
  'WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n',
  'E0000 00:00:1763946436.431960   20418 cuda_dnn.cc:8310] Unable to register cuDNN factory: Attempting to register factory for plugin cuDNN when one has already been registered\n',
  'E0000 00:00:1763946436.438146   20418 cuda_blas.cc:1418] Unable to register cuBLAS factory: Attempting to register factory for plugin cuBLAS when one has already been registered\n',
  '2025-11-24 01:07:16.455921: I tensorflow/core/platform/cpu_feature_guard.cc:210] This TensorFlow binary is optimized to use available CPU instructions in performance-critical operations.\n',
  'To enable the following instructions: AVX2 AVX512F FMA, in other operations, rebuild TensorFlow with the appropriate compiler flags.\n',
  '2025-11-24 01:07:17.614523: W tensorflow/compiler/tf2tensorrt/utils/py_utils.cc:38] TF-TRT Warning: Could not find TensorRT\n',
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

// ---- Python formatting (the trainer is Python: its f-strings round half to even, its floats print as repr) ----

/** Python's `f"{x:.{d}f}"`: the exact binary value rounded half to even (JS toFixed rounds exact ties up). */
export function pyFixed(x, d) {
  const exact = Math.abs(x).toFixed(100)
  const dot = exact.indexOf('.')
  const intPart = exact.slice(0, dot)
  const frac = exact.slice(dot + 1)
  const keep = frac.slice(0, d)
  const next = frac.charCodeAt(d) - 48
  const rest = frac.slice(d + 1)
  const tail = /[1-9]/.test(rest)
  let digits = intPart + keep
  const lastEven = (digits.charCodeAt(digits.length - 1) - 48) % 2 === 0
  if (next > 5 || (next === 5 && (tail || !lastEven))) {
    // increment the decimal string
    const arr = digits.split('')
    let i = arr.length - 1
    while (i >= 0) {
      if (arr[i] === '9') {
        arr[i] = '0'
        i--
      } else {
        arr[i] = String.fromCharCode(arr[i].charCodeAt(0) + 1)
        break
      }
    }
    digits = (i < 0 ? '1' : '') + arr.join('')
  }
  const ip = digits.slice(0, digits.length - d) || '0'
  const s = d > 0 ? `${ip}.${digits.slice(digits.length - d)}` : ip
  return x < 0 && /[1-9]/.test(s) ? `-${s}` : s
}

/** Python's `repr(float)` (json.dumps of a float): shortest round-trip digits, `.0` on integers, `1e-05` style exponents. */
export function pyFloat(x) {
  if (Number.isNaN(x)) return 'NaN'
  if (x === Infinity) return 'Infinity'
  if (x === -Infinity) return '-Infinity'
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0'
  const [mant, e] = x.toExponential().split('e')
  const exp = Number(e)
  if (exp < -4 || exp >= 16) return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`
  const s = String(x)
  return Number.isInteger(x) ? `${s}.0` : s
}

const pad2 = (n) => String(n).padStart(2, '0')
const clock = (s) => {
  s = Math.max(0, Math.round(s))
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  return h > 0 ? `${h}:${pad2(m)}:${pad2(s % 60)}` : `${pad2(m)}:${pad2(s % 60)}`
}
/** A tqdm bar: `Generating rollouts:  50%|█████     | 8/16 [00:12<00:12,  1.52s/it]`. */
function tqdm(label, n, total, elapsed) {
  const frac = total ? n / total : 0
  const filled = Math.floor(frac * 10)
  const bar = '█'.repeat(filled) + (filled < 10 ? ' '.repeat(10 - filled) : '')
  const rate = n > 0 ? elapsed / n : 0
  const eta = n > 0 ? `${clock(rate * (total - n))}, ${pyFixed(rate, 2).padStart(5)}s/it` : '?, ?it/s'
  return `${label}: ${String(Math.floor(frac * 100)).padStart(3)}%|${bar}| ${n}/${total} [${clock(elapsed)}<${eta}]`
}

/** Python's json.dumps of a wandb Table (`{"columns": [...], "data": [[...]]}`, ", " and ": " separators). */
function tableJson(rows) {
  const cell = (v) =>
    v === null ? 'null' : typeof v === 'string' ? JSON.stringify(v) : 'float' in v ? pyFloat(v.float) : String(v.int)
  const data = rows.map((r) => `[${r.map(cell).join(', ')}]`).join(', ')
  return `{"columns": [${TABLE_COLUMNS.map((c) => JSON.stringify(c)).join(', ')}], "data": [${data}]}`
}
const TABLE_COLUMNS = [
  'step',
  'split',
  'sample_id',
  'source',
  'problem_type',
  'correctness',
  'reward',
  'cost',
  'executor_calls',
  'judge_calls',
  'judge_status',
  'verdict',
]
const F = (x) => ({float: x})
const I = (x) => ({int: x})

/**
 * Generates the run. Options:
 *   size       target bytes of the .wandb file: picks the step count (BYTES_PER_STEP per step) when `steps` is not given
 *   steps      training steps (overrides size)
 *   out        parent directory of the run directory (and of expected.json / train.log)
 *   seed       PRNG seed (default 1)
 *   batch      problems per step (default 8); group: rollouts per problem (default 2)
 *   verbosity  average lines of model output printed per evaluated sample (default 9)
 *   valEvery   validation every N steps (default 9); valSize: validation samples (default 12)
 *   trainLog   also write the stdout stream as DIR/train.log
 *   judgeOutage {from, to, kind = 'api', failRate = 0.9}: in training steps from..to (and their validation) the judge
 *              fails at that rate with API (or parse) failures — a known stretch for the judge_window diagnosis
 *   hardDataset {source, skill = -0.35}: that dataset's skill (added to the 0.5 chance of a perfect answer) is lowered
 *              far below the others' (−0.08…0.15), so it is the weakest beyond chance
 *   startTime  Unix seconds of the run start
 * Returns {runDir, wandbFile, bytes, steps, records, tables, expectedFile, expected, trainLog}.
 */
export async function generateRun(options = {}) {
  const {
    size,
    out = join(ROOT, 'bench', 'out', 'runs'),
    seed = 1,
    batch = 8,
    group = 2,
    verbosity = 9,
    valEvery = 10,
    valSize = 12,
    trainLog = false,
    startTime = 1763946436,
    judgeOutage = null,
    hardDataset = null,
  } = options
  let steps = options.steps
  if (!steps) {
    if (!size) throw new Error('give a size or a number of steps')
    steps = Math.max(1, Math.round(size / BYTES_PER_STEP))
  }
  const {WandbWriter} = await loadWriter()
  const random = rng(seed)
  const pick = (list) => list[Math.floor(random() * list.length)]
  const between = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1))

  const id = Array.from({length: 8}, () => 'abcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(random() * 36)]).join('')
  const d = new Date(startTime * 1000)
  const stamp = `${d.getUTCFullYear()}${pad2(d.getUTCMonth() + 1)}${pad2(d.getUTCDate())}_${pad2(d.getUTCHours())}${pad2(d.getUTCMinutes())}${pad2(d.getUTCSeconds())}`
  const runDirName = `offline-run-${stamp}-${id}`
  const runDir = join(out, runDirName)
  const tableDir = join(runDir, 'files', 'media', 'table')
  mkdirSync(tableDir, {recursive: true})
  const wandbFile = join(runDir, `run-${id}.wandb`)
  const logFile = trainLog ? join(out, 'train.log') : null
  const logFd = logFile ? openSync(logFile, 'w') : null
  let logBuf = []
  let logLen = 0
  const flushLog = () => {
    if (logFd === null || logBuf.length === 0) return
    writeSync(logFd, logBuf.join(''))
    logBuf = []
    logLen = 0
  }

  const config = [
    ['model', '"Qwen2.5-7B-Instruct"'],
    ['learning_rate', '1e-05'],
    ['batch_size', String(batch)],
    ['group_size', String(group)],
    ['max_steps', String(steps)],
    ['use_llm_judge', 'true'],
    ['judge_model', '"gpt-oss-120b"'],
    ['domain_ratios', '{"math":0.37,"qa":0.46,"code":0.17}'],
    ['val_every', String(valEvery)],
    ['seed', String(seed)],
  ].map(([key, valueJson]) => ({key, valueJson}))
  const w = WandbWriter.open(wandbFile)
  w.header('0.23.0', '0.40.0')
  w.run({runId: id, project: 'agent-prompt', displayName: `grpo-seed${seed}`, startTime, host: 'gpu-node-07', config})
  w.telemetry('0.23.0', '3.10.14')

  let t = startTime
  let records = 3
  /** One console write (one Python print), as wandb stores it: an output_raw record. */
  const emit = (text, stream = 'stdout') => {
    t += 0.01
    w.output(stream, text, t)
    records++
    if (logFd !== null && stream === 'stdout') {
      logBuf.push(text)
      logLen += text.length
      if (logLen > 1 << 20) flushLog()
    }
  }

  emit('wandb: Tracking run with wandb version 0.23.0\n')
  emit(`wandb: Run data is saved locally in /scratch/grpo/wandb/${runDirName}\n`)
  for (const line of TF_BANNER) emit(line, 'stderr')

  // Cumulative counters as the trainer's collectors keep them (train up to now + validation passes so far).
  const cum = {judge: 0, success: 0, parse: 0, api: 0, correct: 0, incorrect: 0, cost: 0, exec: 0, judgeCalls: 0}
  // The truth, from the per-sample events.
  const truth = {train: new Map(), val: new Map()}
  const all = {
    samples: 0,
    cost: 0,
    exec: 0,
    judgeCalls: 0,
    judge: 0,
    success: 0,
    parse: 0,
    api: 0,
    correct: 0,
    incorrect: 0,
  }
  const stepFigures = []
  const mismatches = []
  let tables = 0

  /** One API call as the OpenAI client's logging prints it; returns its cost (the number the line shows). */
  const apiCall = (judge) => {
    const inTok = judge ? between(300, 1800) : between(300, 1800)
    const outTok = judge ? between(50, 600) : between(50, 600)
    const ci = pyFixed(inTok * 0.15e-6, 6)
    const co = pyFixed(outTok * 0.6e-6, 6)
    const c = pyFixed(inTok * 0.15e-6 + outTok * 0.6e-6, 6)
    emit('HTTP Request: POST https://api.openai.com/v1/chat/completions "HTTP/1.1 200 OK"\n')
    emit(`Token usage: ${inTok} input + ${outTok} output = ${inTok + outTok} total\n`)
    emit(`Cost: $${c} ($${ci} for input, $${co} for output)\n`)
    return Number(c)
  }

  /** A multi-line model answer printed in one call (unstructured noise between the structured lines). */
  const modelOutput = (source) => {
    const n = Math.max(1, verbosity + between(-2, 2))
    const lines = ['  模型输出:', '    <think>']
    for (let i = 0; i < n; i++) lines.push(`    ${pick(REASONING)}`)
    lines.push('    </think>', `    Final answer: ${pick(PREDICTIONS[source])}`)
    return `${lines.join('\n')}\n`
  }

  /**
   * One rollout: executor calls, then (unless the execution failed) the evaluation block with its judge call.
   * Returns the sample as the trainer's Table row holds it.
   */
  const rollout = (step, split, sampleId, source, progress, canFail) => {
    const type = TYPE_OF[source]
    let cost = 0
    let execCalls = 0
    const nExec = between(1, 3)
    for (let i = 0; i < nExec; i++) {
      cost += apiCall(false)
      execCalls++
    }
    if (canFail && random() < 0.06) {
      emit(`  [${sampleId}] ❌ 执行失败 | 奖励: 0.000\n`)
      return {
        step,
        split,
        sampleId,
        source,
        type,
        correctness: 0,
        reward: 0,
        cost: Number(pyFixed(cost, 6)),
        execCalls,
        judgeCalls: 0,
        status: 'skipped',
        verdict: null,
      }
    }
    emit(`\n📊 评估输入 (${type}, source=${source}):\n`)
    emit(`  问题: ${pick(QUESTIONS[source])}\n`)
    if (verbosity > 0) emit(modelOutput(source))
    emit(`  📋 使用数据集专属Prompt: source=${source}\n`)
    cost += apiCall(true)
    const u = random()
    const outage = judgeOutage !== null && step >= judgeOutage.from && step <= judgeOutage.to
    const status = outage
      ? u < (judgeOutage.failRate ?? 0.9)
        ? judgeOutage.kind === 'parse'
          ? 'parse_failure'
          : 'api_failure'
        : 'success'
      : u < 0.05
        ? 'api_failure'
        : u < 0.12
          ? 'parse_failure'
          : 'success'
    let correctness = 0
    let label = ['❌', '错误']
    if (status === 'api_failure')
      emit(
        `  ⚠️  LLM Judge调用失败: ${pick(['APITimeoutError: Request timed out.', 'APIConnectionError: Connection error.', 'RateLimitError: Error code: 429'])}\n`,
      )
    else if (status === 'parse_failure') emit('  ⚠️  无法解析LLM Judge响应（尝试了5种格式）\n')
    else {
      const skill =
        hardDataset?.source === source ? (hardDataset.skill ?? -0.35) : SOURCES.find((s) => s.source === source).skill
      if (random() < 0.5 + skill + 0.22 * progress) {
        correctness = 1.0
        label = ['✅', '完美']
      } else {
        const [emoji, name, score] = PARTIAL[Math.floor(random() * PARTIAL.length)]
        correctness = score
        label = [emoji, name]
      }
    }
    const secs = 2 + random() * 38
    emit(`  判决: ${label[0]} ${label[1]} (${pyFixed(correctness, 1)})\n`)
    emit(`  奖励: ${pyFixed(correctness, 2)}\n`)
    emit(`  🧪 执行成功 | cost: ${pyFixed(cost, 4)} | 用时: ${pyFixed(secs, 2)}s\n`)
    emit(
      `  [${sampleId}] ${correctness >= 0.9 ? '✅' : '❌'} 正确性: ${pyFixed(correctness, 1)} | 预测: ${pick(PREDICTIONS[source])}\n`,
    )
    t += secs / 8
    const verdict = status === 'success' ? (correctness >= 0.9 ? 'correct' : 'incorrect') : null
    return {
      step,
      split,
      sampleId,
      source,
      type,
      correctness,
      reward: correctness,
      cost: Number(pyFixed(cost, 6)),
      execCalls,
      judgeCalls: 1,
      status,
      verdict,
    }
  }

  /** Counts a finished sample into the collectors' counters and into the truth. */
  const count = (s) => {
    cum.cost += s.cost
    cum.exec += s.execCalls
    cum.judgeCalls += s.judgeCalls
    if (s.status !== 'skipped') {
      cum.judge++
      if (s.status === 'success') cum.success++
      else if (s.status === 'parse_failure') cum.parse++
      else cum.api++
      if (s.verdict === 'correct') cum.correct++
      else if (s.verdict === 'incorrect') cum.incorrect++
    }
    const m = truth[s.split]
    let r = m.get(s.source)
    if (!r) m.set(s.source, (r = {correct: 0, count: 0, reward: 0, cost: 0}))
    r.count++
    r.correct += s.correctness >= 0.9 ? 1 : 0
    r.reward += s.reward
    r.cost += s.cost
    all.samples++
    all.cost += s.cost
    all.exec += s.execCalls
    all.judgeCalls += s.judgeCalls
    if (s.status !== 'skipped') {
      all.judge++
      all[s.status === 'success' ? 'success' : s.status === 'parse_failure' ? 'parse' : 'api']++
      if (s.verdict === 'correct') all.correct++
      else if (s.verdict === 'incorrect') all.incorrect++
    }
  }

  /** Writes a wandb Table file and returns its history value (a `table-file` reference). */
  const table = (key, step, samples) => {
    const rows = samples.map((s) => [
      I(s.step),
      s.split,
      s.sampleId,
      s.source,
      s.type,
      F(s.correctness),
      F(s.reward),
      F(s.cost),
      I(s.execCalls),
      I(s.judgeCalls),
      s.status,
      s.verdict,
    ])
    const text = tableJson(rows)
    const sha = createHash('sha256').update(text).digest('hex')
    const name = `${key}_${step}_${sha.slice(0, 20)}.table.json`
    writeFileSync(join(tableDir, name), text)
    tables++
    const size = Buffer.byteLength(text)
    return `{"_type":"table-file","path":"media/table/${name}","sha256":"${sha}","size":${size},"ncols":${TABLE_COLUMNS.length},"nrows":${rows.length}}`
  }

  /** Per-dataset groups of a step's samples, in order of first appearance. */
  const bySource = (samples) => {
    const m = new Map()
    for (const s of samples) {
      let list = m.get(s.source)
      if (!list) m.set(s.source, (list = []))
      list.push(s)
    }
    return m
  }
  const pct = (c, n) => (100 * c) / n
  const sum = (list, f) => list.reduce((a, s) => a + f(s), 0)
  const tallyLines = (groups, withAvg) =>
    [...groups.keys()].sort().map((src) => {
      const list = groups.get(src)
      const c = list.filter((s) => s.correctness >= 0.9).length
      return withAvg
        ? `  ${src.padEnd(15)}: ${String(c).padStart(2)}/${String(list.length).padStart(2)} = ${pyFixed(pct(c, list.length), 1).padStart(5)}% | 平均分: ${pyFixed(sum(list, (s) => s.correctness) / list.length, 2)}\n`
        : `  ${src.padEnd(15)}: ${String(c).padStart(3)}/${String(list.length).padStart(3)} = ${pyFixed(pct(c, list.length), 1).padStart(5)}%\n`
    })

  const samplesPerStep = batch * group
  for (let step = 1; step <= steps; step++) {
    const progress = steps > 1 ? (step - 1) / (steps - 1) : 0
    const stepStart = t
    emit(`\n${'='.repeat(60)}\n`)
    emit(`📍 Step ${step}/${steps}\n`)
    emit(`${'='.repeat(60)}\n`)
    emit(`📦 Batch ${step}: ${batch} 样本\n`)
    if (step % 50 === 1) emit(pick(STDERR_WARNINGS), 'stderr')
    emit(`\r${tqdm('Generating rollouts', 0, samplesPerStep, 0)}`, 'stderr')
    const samples = []
    for (let p = 1; p <= batch; p++) {
      // a weighted draw of the problem's dataset; every rollout of a problem shares it
      let u = random()
      let src = SOURCES[SOURCES.length - 1].source
      for (const s of SOURCES) {
        if (u < s.weight) {
          src = s.source
          break
        }
        u -= s.weight
      }
      for (let r = 1; r <= group; r++) {
        const s = rollout(step, 'train', `S${p}-${r}/${group}`, src, progress, true)
        samples.push(s)
        count(s)
        emit(`\r${tqdm('Generating rollouts', samples.length, samplesPerStep, t - stepStart)}`, 'stderr')
      }
    }
    emit('\n', 'stderr')

    // the step summary, the logged record, the collectors' summaries
    const correct = samples.filter((s) => s.correctness >= 0.9).length
    emit(`\n🎯 准确率统计: ${correct}/${samples.length} = ${pyFixed(pct(correct, samples.length), 1)}%\n`)
    const groups = bySource(samples)
    emit('\n📈 子数据集准确率:\n')
    for (const line of tallyLines(groups, true)) emit(line)
    const buggy = random() < 0.03 // the trainer's collector used a 0.7 correctness threshold at this step
    const items = [
      ['train/accuracy', pyFloat(pct(correct, samples.length))],
      ['train/loss', pyFloat(0.2 * Math.exp(-3 * progress) * random() + 0.01)],
      ['train/kl_div', pyFloat(random() * 0.01)],
      ['train/num_correct', String(correct)],
      ['train/num_total', String(samples.length)],
    ]
    for (const [src, list] of groups) {
      const c = list.filter((s) => s.correctness >= 0.9).length
      const acc = pct(c, list.length)
      const logged = buggy ? pct(list.filter((s) => s.correctness >= 0.7).length, list.length) : acc
      if (logged !== acc) mismatches.push({metric: `dataset/${src}/accuracy`, step, logged, recomputed: acc})
      items.push(
        [`dataset/${src}/accuracy`, pyFloat(logged)],
        [`dataset/${src}/count`, String(list.length)],
        [`dataset/${src}/avg_reward`, pyFloat(sum(list, (s) => s.reward) / list.length)],
        [`dataset/${src}/avg_cost`, pyFloat(sum(list, (s) => s.cost) / list.length)],
      )
    }
    const apiCalls = cum.exec + cum.judgeCalls
    items.push(
      ['judge/success_rate', pyFloat(cum.success / cum.judge)],
      ['judge/parse_failure_rate', pyFloat(cum.parse / cum.judge)],
      ['judge/api_failure_rate', pyFloat(cum.api / cum.judge)],
      ['judge/total_calls', String(cum.judge)],
      ['judge/correct_ratio', pyFloat(cum.correct / (cum.correct + cum.incorrect))],
      ['judge/correct_count', String(cum.correct)],
      ['judge/incorrect_count', String(cum.incorrect)],
      ['cost/total_cost', pyFloat(cum.cost)],
      ['cost/total_samples', String(apiCalls)], // the trainer's bug: it counts API calls here
      ['cost/executor_calls', String(cum.exec)],
      ['cost/judge_calls', String(cum.judgeCalls)],
      ['cost/avg_cost_per_sample', pyFloat(cum.cost / apiCalls)],
      ['samples', table('samples', step, samples)],
    )
    t += 5
    items.push(['_runtime', pyFloat(t - startTime)], ['_timestamp', pyFloat(t)], ['_step', String(step)])
    w.history(
      step,
      items.map(([key, valueJson]) => ({key, valueJson})),
    )
    records++
    emit('\n📊 数据集统计摘要:\n')
    for (const line of tallyLines(groups, false)) emit(line)
    if (step % 10 === 0) {
      const pc = (n) => pyFixed(pct(n, cum.judge), 1)
      emit(`\n🤖 LLM Judge统计 (总计: ${cum.judge} 次):\n`)
      emit(`  成功: ${cum.success} (${pc(cum.success)}%)\n`)
      emit(`  解析失败: ${cum.parse} (${pc(cum.parse)}%)\n`)
      emit(`  API失败: ${cum.api} (${pc(cum.api)}%)\n`)
      emit(
        `  判决准确率: ${pyFixed(pct(cum.correct, cum.correct + cum.incorrect), 1)}% (正确: ${cum.correct}, 错误: ${cum.incorrect})\n`,
      )
    }
    emit('\n💰 成本统计:\n')
    emit(`  总成本: $${pyFixed(cum.cost, 4)}\n`)
    emit(`  样本数: ${apiCalls}\n`)
    emit(`  Executor调用: ${cum.exec}\n`)
    emit(`  Judge调用: ${cum.judgeCalls}\n`)
    emit(`  平均成本/样本: $${pyFixed(cum.cost / apiCalls, 6)}\n`)
    if (step % 5 === 0) {
      w.stats(
        t,
        [
          ['gpu.0.gpu', pyFloat(60 + random() * 35)],
          ['gpu.0.memoryAllocated', pyFloat(40 + random() * 40)],
          ['cpu', pyFloat(15 + random() * 30)],
          ['memory_percent', pyFloat(30 + random() * 30)],
        ].map(([key, valueJson]) => ({key, valueJson})),
      )
      records++
    }
    const stepCost = sum(samples, (s) => s.cost)
    stepFigures.push({
      step,
      samples: samples.length,
      correct,
      accuracy: pct(correct, samples.length),
      cost: stepCost,
      cost_per_correct: correct > 0 ? stepCost / correct : null,
    })

    if (valEvery > 0 && step % valEvery === 0) {
      emit('\n🔍 验证集评估...\n')
      const val = []
      for (let v = 1; v <= valSize; v++) {
        const s = rollout(step, 'val', `V${v}`, SORTED_SOURCES[(v - 1) % SORTED_SOURCES.length], progress, false)
        val.push(s)
      }
      // the validation pass is counted after its report (the next step's counters include it)
      const vc = val.filter((s) => s.correctness >= 0.9).length
      emit('\n📊 验证集结果:\n')
      emit(`  准确率: ${vc}/${val.length} = ${pyFixed(pct(vc, val.length), 1)}%\n`)
      const vg = bySource(val)
      emit('\n📊 数据集统计摘要:\n')
      for (const line of tallyLines(vg, false)) emit(line)
      const vitems = []
      for (const src of [...vg.keys()].sort()) {
        const list = vg.get(src)
        vitems.push(
          [`val/${src}/accuracy`, pyFloat(pct(list.filter((s) => s.correctness >= 0.9).length, list.length))],
          [`val/${src}/count`, String(list.length)],
          [`val/${src}/avg_cost`, pyFloat(sum(list, (s) => s.cost) / list.length)],
        )
      }
      vitems.push(['val/accuracy', pyFloat(pct(vc, val.length))], ['val_samples', table('val_samples', step, val)])
      t += 1
      vitems.push(['_runtime', pyFloat(t - startTime)], ['_timestamp', pyFloat(t)], ['_step', String(step)])
      w.history(
        step,
        vitems.map(([key, valueJson]) => ({key, valueJson})),
      )
      records++
      for (const s of val) count(s)
    }
  }
  emit(`\r${tqdm('Training', steps, steps, t - startTime)}\n`, 'stderr')
  w.summary(
    [
      ['train/accuracy', pyFloat(stepFigures[stepFigures.length - 1].accuracy)],
      ['cost/total_cost', pyFloat(cum.cost)],
      ['_step', String(steps)],
      ['_runtime', pyFloat(t - startTime)],
    ].map(([key, valueJson]) => ({key, valueJson})),
  )
  w.exit(0, Math.round(t - startTime))
  records += 2
  const bytes = w.offset
  w.close()
  flushLog()
  if (logFd !== null) closeSync(logFd)
  writeFileSync(
    join(runDir, 'files', 'wandb-metadata.json'),
    JSON.stringify({
      python: '3.10.14',
      host: 'gpu-node-07',
      program: 'train.py',
      startedAt: new Date(startTime * 1000).toISOString().replace('.000Z', 'Z'),
    }),
  )

  // ---- the answers ----
  const perSource = (m) =>
    Object.fromEntries(
      [...m].map(([src, r]) => [
        src,
        {
          correct: r.correct,
          count: r.count,
          accuracy: pct(r.correct, r.count),
          avg_reward: r.reward / r.count,
          avg_cost: r.cost / r.count,
        },
      ]),
    )
  let best = null
  for (const s of stepFigures)
    if (s.cost_per_correct !== null && (best === null || s.cost_per_correct < best.cost_per_correct)) best = s
  const expected = {
    run_id: id,
    run_dir: runDirName,
    stdout: logFile ? 'train.log' : null,
    state: 'finished',
    last_step: steps,
    train: perSource(truth.train),
    val: perSource(truth.val),
    judge: {
      calls: all.judge,
      success: all.success,
      parse_failures: all.parse,
      api_failures: all.api,
      success_rate: all.success / all.judge,
      parse_failure_rate: all.parse / all.judge,
      api_failure_rate: all.api / all.judge,
      correct: all.correct,
      incorrect: all.incorrect,
      correct_ratio: all.correct / (all.correct + all.incorrect),
    },
    cost: {
      total_cost: all.cost,
      samples: all.samples,
      avg_cost_per_sample: all.cost / all.samples,
      executor_calls: all.exec,
      judge_calls: all.judgeCalls,
    },
    judge_outage: judgeOutage,
    hard_dataset: hardDataset,
    efficiency: {best_step: best ? best.step : null, best_cost_per_correct: best ? best.cost_per_correct : null},
    steps: stepFigures,
    mismatches,
  }
  const expectedFile = join(out, 'expected.json')
  writeFileSync(expectedFile, `${JSON.stringify(expected, null, 1)}\n`)
  return {runDir, wandbFile, bytes, steps, records, tables, expectedFile, expected, trainLog: logFile}
}

function parseArgs(argv) {
  const opts = {}
  const num = (k, v) => {
    const n = Number(v)
    if (!Number.isFinite(n) || n < 0) throw new Error(`${k} wants a number, got ${v}`)
    return n
  }
  for (let i = 0; i < argv.length; i++) {
    const [k, inline] = argv[i].split('=', 2)
    if (k === '--train-log') {
      opts.trainLog = true
      continue
    }
    const v = inline ?? argv[++i]
    if (k === '--size') opts.size = parseSize(v)
    else if (k === '--steps') opts.steps = num(k, v)
    else if (k === '--out') opts.out = resolve(v)
    else if (k === '--seed') opts.seed = num(k, v)
    else if (k === '--batch') opts.batch = num(k, v)
    else if (k === '--group') opts.group = num(k, v)
    else if (k === '--verbosity') opts.verbosity = num(k, v)
    else if (k === '--val-every') opts.valEvery = num(k, v)
    else if (k === '--val-size') opts.valSize = num(k, v)
    else if (k === '--judge-outage') {
      const m = /^(\d+)-(\d+)(?::(api|parse))?(?:@(0(?:\.\d+)?|1(?:\.0*)?))?$/.exec(v ?? '')
      if (!m) throw new Error(`--judge-outage wants FROM-TO[:api|parse][@FAIL_RATE], e.g. 40-55:parse@0.5, got ${v}`)
      opts.judgeOutage = {from: Number(m[1]), to: Number(m[2]), kind: m[3] ?? 'api'}
      if (m[4] !== undefined) opts.judgeOutage.failRate = Number(m[4])
    } else if (k === '--hard-dataset') {
      if (!SOURCES.some((s) => s.source === v))
        throw new Error(`--hard-dataset wants one of ${SORTED_SOURCES.join(', ')}, got ${v}`)
      opts.hardDataset = {source: v}
    } else
      throw new Error(
        `unknown option ${k} (use --size 130MB | --steps N [--out DIR] [--seed N] [--batch 8] [--group 2] [--verbosity 9] [--val-every 10] [--val-size 12] [--train-log] [--judge-outage 40-55[:api|parse][@0.9]] [--hard-dataset math])`,
      )
  }
  if (!opts.size && !opts.steps)
    throw new Error('--size or --steps is required (e.g. --size 130MB, --size 1GB, --steps 40)')
  return opts
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const opts = parseArgs(process.argv.slice(2))
    opts.out ??= resolve('bench/out/runs/custom')
    mkdirSync(opts.out, {recursive: true})
    const t0 = performance.now()
    const r = await generateRun(opts)
    const secs = (performance.now() - t0) / 1000
    process.stderr.write(
      `${r.wandbFile}: ${(r.bytes / 1e6).toFixed(1)} MB, ${r.steps} steps, ${r.records} records, ${r.tables} tables in ${secs.toFixed(1)} s (${(r.bytes / 1e6 / secs).toFixed(0)} MB/s); answers in ${r.expectedFile}\n`,
    )
    process.stdout.write(`${r.runDir}\n`)
  } catch (error) {
    process.stderr.write(`generate-run: ${error instanceof Error ? error.message : error}\n`)
    process.exitCode = 1
  }
}
