#!/usr/bin/env node
// Writes what every command prints for the bundled fixtures into one folder, so that a refactor or a speed change can
// be shown not to move a single byte: run it before and after, then compare the two folders.
//   node bench/snapshot-outputs.js OUT_DIR [EXTRA_RUN_OR_LOG...]   write the outputs (paths shown relative to the repo)
//   node bench/snapshot-outputs.js --diff A_DIR B_DIR               list the files that differ; exit 1 if any
import {spawn} from 'node:child_process'
import {existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {cpus} from 'node:os'
import {basename, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)))
const FIXTURES = join(ROOT, 'test', 'fixtures')
const GRPO_RUN = join(FIXTURES, 'grpo-sample', 'wandb', 'offline-run-20251124_010713-ieqh524y')

function runlog(args) {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'run.js'), ...args], {
      cwd: ROOT,
      env: {...process.env, COLUMNS: '200'},
    })
    const out = []
    const err = []
    child.stdout.on('data', (b) => out.push(b))
    child.stderr.on('data', (b) => err.push(b))
    child.on('close', (status) =>
      done({status, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString()}),
    )
  })
}

/** Absolute paths differ between checkouts; the snapshot shows them relative to the repository. */
const portable = (text) =>
  text
    .split(ROOT + '/')
    .join('')
    .split(ROOT)
    .join('.')

function jobsFor(extra) {
  const corpus = readdirSync(join(FIXTURES, 'corpus')).filter((d) =>
    statSync(join(FIXTURES, 'corpus', d)).isDirectory(),
  )
  const logDir = (d) =>
    readdirSync(join(FIXTURES, d))
      .filter((f) => f.endsWith('.log'))
      .map((f) => join(FIXTURES, d, f))
  const logs = [...logDir('trainer-logs'), ...logDir(join('trainer-logs', 'handwritten'))]
  const extraRuns = extra.filter((p) => !p.endsWith('.log'))
  const extraLogs = extra.filter((p) => p.endsWith('.log'))
  const outage = join(FIXTURES, 'judge-outage', 'offline-run-20251124_010716-7lhcisc9')
  const runs = [
    GRPO_RUN,
    outage,
    ...corpus.map((d) => join(FIXTURES, 'corpus', d)),
    ...extraRuns.map((p) => resolve(p)),
  ]
  const stdoutLogs = [join(FIXTURES, 'grpo-sample', 'train.log'), ...logs, ...extraLogs.map((p) => resolve(p))]
  const jobs = [
    {name: 'ls-corpus.json', args: ['ls', join(FIXTURES, 'corpus'), '--json']},
    {name: 'summarize-all-corpus.json', args: ['summarize', join(FIXTURES, 'corpus'), '--all', '--json']},
    {
      name: 'compare-sample-p30.json',
      args: ['compare', GRPO_RUN, join(FIXTURES, 'trainer-logs', 'training_p30.log'), '--json'],
    },
    {name: 'compare-sample-p30.txt', args: ['compare', GRPO_RUN, join(FIXTURES, 'trainer-logs', 'training_p30.log')]},
    {name: 'efficiency-sample.json', args: ['efficiency', GRPO_RUN, '--json']},
    {name: 'efficiency-sample.txt', args: ['efficiency', GRPO_RUN]},
    {name: 'summarize-sample.txt', args: ['summarize', GRPO_RUN]},
    {
      name: 'summarize-sample-stdout.json',
      args: ['summarize', GRPO_RUN, '--stdout', join(FIXTURES, 'grpo-sample', 'train.log'), '--json'],
    },
    {name: 'ls-corpus.txt', args: ['ls', join(FIXTURES, 'corpus')]},
    {
      name: 'compare-p28-p29-p30.txt',
      args: ['compare', ...['28', '29', '30'].map((n) => join(FIXTURES, 'trainer-logs', `training_p${n}.log`))],
    },
    {
      name: 'compare-p28-p29-p30.json',
      args: [
        'compare',
        ...['28', '29', '30'].map((n) => join(FIXTURES, 'trainer-logs', `training_p${n}.log`)),
        '--json',
      ],
    },
    {name: 'check-sample.txt', args: ['check', GRPO_RUN]},
    {name: 'check-outage.json', args: ['check', outage, '--json']},
    {name: 'summarize-outage.txt', args: ['summarize', outage]},
    {name: 'efficiency-outage.txt', args: ['efficiency', outage]},
    {name: 'history-sample.txt', args: ['history', GRPO_RUN]},
    {name: 'history-sample.csv', args: ['history', GRPO_RUN, '--format', 'csv']},
    {name: 'query-sample.txt', args: ['query', GRPO_RUN, 'SELECT * FROM dataset_figures ORDER BY ALL']},
  ]
  for (const run of runs) {
    const id = basename(run)
    jobs.push({name: `summarize/${id}.json`, args: ['summarize', run, '--json']})
    jobs.push({name: `history/${id}.jsonl`, args: ['history', run, '--format', 'jsonl']})
  }
  for (const log of stdoutLogs) {
    jobs.push({name: `summarize/${basename(log)}.json`, args: ['summarize', log, '--json']})
    jobs.push({name: `efficiency/${basename(log)}.json`, args: ['efficiency', log, '--json']})
    jobs.push({name: `summarize-text/${basename(log)}.txt`, args: ['summarize', log]})
    jobs.push({name: `history/${basename(log)}.jsonl`, args: ['history', log, '--format', 'jsonl']})
  }
  return jobs
}

async function snapshot(outDir, extra) {
  const jobs = jobsFor(extra)
  let next = 0
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++]
      const r = await runlog(job.args)
      const file = join(outDir, job.name)
      mkdirSync(join(file, '..'), {recursive: true})
      writeFileSync(file, portable(`exit ${r.status}\n--- stderr\n${r.stderr}--- stdout\n${r.stdout}`))
    }
  }
  await Promise.all(Array.from({length: Math.max(1, cpus().length)}, worker))
  console.log(`wrote ${jobs.length} outputs to ${outDir}`)
}

function listFiles(dir, prefix = '') {
  return readdirSync(join(dir, prefix), {withFileTypes: true}).flatMap((e) =>
    e.isDirectory() ? listFiles(dir, join(prefix, e.name)) : [join(prefix, e.name)],
  )
}

function diff(a, b) {
  const names = [...new Set([...listFiles(a), ...listFiles(b)])].sort()
  const differing = names.filter(
    (n) =>
      !existsSync(join(a, n)) || !existsSync(join(b, n)) || !readFileSync(join(a, n)).equals(readFileSync(join(b, n))),
  )
  for (const n of differing) console.log(`differs: ${n}`)
  console.log(`${names.length - differing.length} of ${names.length} outputs identical`)
  return differing.length === 0
}

const [first, ...rest] = process.argv.slice(2)
if (first === '--diff' && rest.length === 2) process.exitCode = diff(rest[0], rest[1]) ? 0 : 1
else if (first && !first.startsWith('-')) await snapshot(resolve(first), rest)
else {
  console.error('usage: node bench/snapshot-outputs.js OUT_DIR [RUN_OR_LOG...] | --diff A_DIR B_DIR')
  process.exitCode = 2
}
