import {spawn} from 'node:child_process'
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {runlog} from '../helpers/cli.js'
import {runlogInProcess} from '../helpers/in-process-cli.js'
import {expectDeepClose} from '../helpers/deep-close.js'
import {CORPUS, GRPO_RUN} from '../helpers/fixtures.js'
import {grpoLog} from '../helpers/grpo-log.js'

const tmp = () => mkdtempSync(join(tmpdir(), 'runlog-sweep-'))
const ALPACA = 'alpaca__run-20231106_034002-m84hjf9m'
const ALPACA_2 = 'alpaca__run-20231114_055921-6pm3vk0i'
const BANDA = 'banda__run-20250729_153546-uy0irnm3'

/** A FIFO, made with the system's `mkfifo` (awaited: tests never block on a child process). */
function mkfifo(path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('mkfifo', [path], {stdio: 'ignore'})
    child.on('error', reject)
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`mkfifo exited ${code}`))))
  })
}

/** The `.wandb` file header alone (`:W&B`, magic 0xBEE1, version 0): a log with no record. */
const HEADER_ONLY = Buffer.from([0x3a, 0x57, 0x26, 0x42, 0xe1, 0xbe, 0x00])

/** 4 gsm8k samples, 3 of them correct: what a run's files/output.log holds when its `.wandb` is empty. */
const OUTPUT_LOG = grpoLog([
  [1, 1, 1, 0].map((correctness) => ({source: 'gsm8k', correctness, executorCost: 0.001, judgeCost: 0.0005})),
])

/**
 * Runs that cannot be read, added to `dir`: random bytes, a FIFO, a link to a device and a directory, each named like a
 * run's log. Returns their folders.
 */
async function addBadRuns(dir: string): Promise<string[]> {
  const bad = ['rand01', 'fifo01', 'dev001', 'dirw01'].map((id) => join(dir, `run-20250101_000000-${id}`))
  for (const d of bad) mkdirSync(d, {recursive: true})
  writeFileSync(join(bad[0], 'run-rand01.wandb'), Buffer.from(Array.from({length: 5000}, (_, i) => (i * 7919) % 251)))
  await mkfifo(join(bad[1], 'run-fifo01.wandb'))
  symlinkSync('/dev/zero', join(bad[2], 'run-dev001.wandb'))
  mkdirSync(join(bad[3], 'run-dirw01.wandb'))
  return bad
}

/** Runs with a 0-byte and a header-only log, their files/ copied from a corpus run, and an output.log. */
function addEmptyRuns(dir: string): string[] {
  const empty = ['empty0', 'hdr001'].map((id) => join(dir, `run-20250101_000000-${id}`))
  for (const [i, d] of empty.entries()) {
    cpSync(join(CORPUS, ALPACA_2, 'files'), join(d, 'files'), {recursive: true})
    writeFileSync(join(d, 'files', 'output.log'), OUTPUT_LOG)
    writeFileSync(join(d, `run-${i === 0 ? 'empty0' : 'hdr001'}.wandb`), i === 0 ? Buffer.alloc(0) : HEADER_ONLY)
  }
  return empty
}

type Entry = Record<string, unknown> & {dir: string}

/** The stderr lines saying a run was skipped. */
const skippedLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('runlog: skipped '))

describe('a folder is as strong as its good runs', () => {
  it('ls, summarize --all over the 197 corpus runs and garbage: every good run, one error per bad one', async () => {
    const sweep = tmp()
    const corpus = readdirSync(CORPUS).filter((n) => statSync(join(CORPUS, n)).isDirectory())
    expect(corpus).toHaveLength(197)
    mkdirSync(join(sweep, 'corpus'))
    for (const n of corpus) symlinkSync(join(CORPUS, n), join(sweep, 'corpus', n))
    const bad = await addBadRuns(sweep)
    const [empty, headerOnly] = addEmptyRuns(sweep)

    // Spawned (FIFOs and a device among the runs: a regression would block the process, not the test worker).
    const [ls, all] = await Promise.all([
      runlog(['ls', sweep, '--json']),
      runlog(['summarize', sweep, '--all', '--json']),
    ])
    expect(ls.status, ls.stderr).toBe(0)
    const listed = JSON.parse(ls.stdout) as Entry[]
    const errors = listed.filter((e) => 'error' in e)
    const runs = listed.filter((e) => !('error' in e))
    expect(runs).toHaveLength(199)
    const goodDirs = [...corpus.map((n) => join(sweep, 'corpus', n)), empty, headerOnly]
    expect(new Set(runs.map((r) => r.dir))).toEqual(new Set(goodDirs))
    expect(errors.map((e) => e.dir).sort()).toEqual([...bad].sort())
    for (const e of errors) expect(Object.keys(e)).toEqual(['dir', 'error'])
    const errorOf = (id: string) => String(errors.find((e) => e.dir.endsWith(id))!.error)
    expect(errorOf('rand01')).toMatch(/run-rand01\.wandb: not a wandb log/)
    expect(errorOf('fifo01')).toMatch(/run-fifo01\.wandb: a FIFO/)
    expect(errorOf('dev001')).toMatch(/run-dev001\.wandb: a character device/)
    expect(errorOf('dirw01')).toMatch(/run-dirw01\.wandb: a directory/)
    const lines = skippedLines(ls.stderr)
    expect(lines).toHaveLength(4)
    for (const d of bad) expect(lines.filter((l) => l.includes(d))).toHaveLength(1)
    // A log with no record, freshly copied, is a crashed run read from its files/ (never "running" for its mtime).
    for (const [dir, id, bytes] of [
      [empty, 'empty0', 0],
      [headerOnly, 'hdr001', 7],
    ] as const) {
      expect(runs.find((r) => r.dir === dir)).toMatchObject({
        id,
        state: 'crashed',
        exit_code: null,
        steps: 0,
        history_rows: 0,
        bytes,
        wandb_version: '0.15.12',
        started_at: '2023-11-14T05:59:21.930Z',
      })
    }

    expect(all.status, all.stderr).toBe(0)
    type SummaryOrError = {
      run?: {id: string; state: string; sources: string[]}
      datasets?: Array<Record<string, unknown>>
      dir?: string
      error?: string
    }
    const summaries = JSON.parse(all.stdout) as SummaryOrError[]
    expect(summaries).toHaveLength(203)
    expect(
      summaries
        .filter((s) => s.error !== undefined)
        .map((s) => s.dir)
        .sort(),
    ).toEqual([...bad].sort())
    expect(new Set(summaries.flatMap((s) => (s.run ? [s.run.id] : [])))).toEqual(new Set(runs.map((r) => r.id)))
    expect(skippedLines(all.stderr)).toHaveLength(4)
    // The empty run's figures come from its files/output.log.
    const emptySummary = summaries.find((s) => s.run?.id === 'empty0')!
    expect(emptySummary.run!.state).toBe('crashed')
    expect(emptySummary.run!.sources).toContain(join(empty, 'files', 'output.log'))
    expect(emptySummary.datasets).toEqual([
      expect.objectContaining({split: 'train', source: 'gsm8k', correct: 3, count: 4, accuracy: 75}),
    ])
  })

  it("an empty run's steps are those of the files/output.log it is read from", async () => {
    const sweep = tmp()
    const run = join(sweep, 'run-20250101_000000-empty2')
    mkdirSync(join(run, 'files'), {recursive: true})
    writeFileSync(join(run, 'run-empty2.wandb'), Buffer.alloc(0))
    const sample = {source: 'gsm8k', correctness: 1, executorCost: 0.001, judgeCost: 0.0005}
    writeFileSync(join(run, 'files', 'output.log'), grpoLog([[sample], [sample], [sample]]))
    const one = await runlogInProcess(['summarize', run, '--json'])
    expect(one.status, one.stderr).toBe(0)
    const {run: oneRun} = JSON.parse(one.stdout) as {run: {steps: number; state: string}}
    expect(oneRun).toMatchObject({steps: 3, state: 'crashed'})
    const all = await runlogInProcess(['summarize', sweep, '--all', '--json'])
    expect((JSON.parse(all.stdout) as Array<{run: {steps: number}}>)[0].run.steps).toBe(3)
  })

  it('the same entries whether the runs are read in one thread or on worker threads', async () => {
    const sweep = tmp()
    for (const n of [ALPACA, BANDA]) cpSync(join(CORPUS, n), join(sweep, n.split('__')[1]), {recursive: true})
    cpSync(GRPO_RUN, join(sweep, 'offline-run-20251124_010713-ieqh524y'), {recursive: true})
    await addBadRuns(sweep)
    addEmptyRuns(sweep)
    for (const args of [
      ['summarize', sweep, '--all', '--json'],
      ['ls', sweep, '--json'],
    ]) {
      const [single, parallel] = await Promise.all([
        runlog(args, {env: {RUNLOG_THREADS: '1'}}),
        runlog(args, {env: {RUNLOG_THREADS: '2', RUNLOG_PARALLEL_MIN_BYTES: '0'}}),
      ])
      expect(single.status, single.stderr).toBe(0)
      expect(parallel.status, parallel.stderr).toBe(0)
      expect(skippedLines(single.stderr)).toHaveLength(4)
      expect(skippedLines(parallel.stderr)).toEqual(skippedLines(single.stderr))
      const out = JSON.parse(single.stdout) as Entry[]
      expect(out).toHaveLength(9)
      expect(out.filter((e) => 'error' in e)).toHaveLength(4)
      expectDeepClose(JSON.parse(parallel.stdout), out)
    }
    const human = await runlog(['summarize', sweep, '--all'], {env: {RUNLOG_THREADS: '1'}})
    expect(human.status).toBe(0)
    expect(human.stdout).toMatch(/│ ieqh524y │ grpo-seed1 │ finished │\s+30 │\s+52\.9% │/)
    expect(human.stdout).toMatch(/│ empty0\s+│ —\s+│ crashed\s+│\s+1 │\s+75\.0% │/)
    expect(human.stdout).not.toMatch(/rand01|fifo01/)
  })

  it('exit 1 when no run could be read, with the error entries in --json', async () => {
    const sweep = tmp()
    const bad = await addBadRuns(sweep)
    const cases = [
      ['ls', sweep, '--json'],
      ['summarize', sweep, '--all', '--json'],
    ]
    for (const [i, r] of (await Promise.all(cases.map((args) => runlog(args)))).entries()) {
      const args = cases[i]
      expect(r.status, args.join(' ')).toBe(1)
      expect((JSON.parse(r.stdout) as Entry[]).map((e) => e.dir).sort()).toEqual([...bad].sort())
      expect(skippedLines(r.stderr)).toHaveLength(4)
    }
    const human = await runlog(['ls', sweep])
    expect(human.status).toBe(1)
    expect(skippedLines(human.stderr)).toHaveLength(4)
  })

  it('compare of a good and a bad run: the good one compared, the bad one an error entry in its place', async () => {
    const dir = tmp()
    const [rand] = await addBadRuns(dir)
    const r = await runlogInProcess(['compare', GRPO_RUN, rand, '--json'])
    expect(r.status, r.stderr).toBe(0)
    expect(skippedLines(r.stderr)).toEqual([expect.stringContaining(join(rand, 'run-rand01.wandb'))])
    type PerRun = unknown[]
    type CompareOut = {runs: Entry[]; datasets: Array<{accuracy: PerRun; count: PerRun}>; judge: PerRun; cost: PerRun}
    const out = JSON.parse(r.stdout) as CompareOut
    expect(out.runs[0]).toMatchObject({id: 'ieqh524y'})
    expect(out.runs[1]).toEqual({dir: rand, error: expect.stringMatching(/run-rand01\.wandb: not a wandb log/)})
    expect(out.datasets.length).toBeGreaterThan(0)
    for (const d of out.datasets) {
      expect(d.accuracy[1]).toBeNull()
      expect(d.count[1]).toBeNull()
    }
    expect(out.judge[1]).toBeNull()
    expect(out.cost[1]).toBeNull()
    const human = await runlogInProcess(['compare', rand, GRPO_RUN])
    expect(human.status).toBe(0)
    expect(human.stdout).toMatch(/grpo-seed1/)
    const none = await runlogInProcess(['compare', rand, join(dir, 'nope')])
    expect(none.status).toBe(1)
    expect(skippedLines(none.stderr)).toHaveLength(2)
  })

  it('export with a bad run among the inputs writes the good ones', async () => {
    const dir = tmp()
    const [, fifo] = await addBadRuns(dir)
    const to = join(dir, 'dataset')
    const r = await runlog(['export', GRPO_RUN, fifo, '--to', to, '--json'])
    expect(r.status, r.stderr).toBe(0)
    expect(skippedLines(r.stderr)).toHaveLength(1)
    const out = JSON.parse(r.stdout) as {errors: Entry[]; tables: Array<{table: string; runs: number}>}
    expect(out.errors).toEqual([{dir: fifo, error: expect.stringMatching(/run-fifo01\.wandb: a FIFO/)}])
    expect(out.tables.find((t) => t.table === 'runs')!.runs).toBe(1)
    expect(existsSync(join(to, 'table=samples', 'run=ieqh524y', 'part-0.parquet'))).toBe(true)
    const none = await runlog(['export', fifo, '--to', join(dir, 'nothing')])
    expect(none.status).toBe(1)
    expect(existsSync(join(dir, 'nothing'))).toBe(false)
  })
})

describe('nothing hangs', () => {
  it('a FIFO or device given as the run is one clear line and exit 1, never opened', async () => {
    const dir = tmp()
    await mkfifo(join(dir, 'train.log'))
    await mkfifo(join(dir, 'run-x.wandb'))
    const fifoLog = join(dir, 'train.log')
    const fifoRun = join(dir, 'run-x.wandb')
    const cases = [
      ['summarize', fifoLog],
      ['summarize', fifoRun],
      ['history', fifoRun],
      ['history', '/dev/zero'],
    ]
    for (const [i, r] of (await Promise.all(cases.map((args) => runlog(args)))).entries()) {
      const args = cases[i]
      expect(r.status, args.join(' ')).toBe(1)
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1)
      expect(r.stderr).toMatch(/a FIFO|a character device|not a regular file/)
    }
  })

  it('--follow of a run whose log is a FIFO or a link to a device: one line, exit 1, never opened', async () => {
    const dir = tmp()
    const fifoRun = join(dir, 'run-20250101_000000-fifo02')
    mkdirSync(fifoRun)
    await mkfifo(join(fifoRun, 'run-fifo02.wandb'))
    const devRun = join(dir, 'run-20250101_000000-dev002')
    mkdirSync(devRun)
    symlinkSync('/dev/zero', join(devRun, 'run-dev002.wandb'))
    const cases = [
      ['summarize', fifoRun, '--follow'],
      ['check', fifoRun, '--follow'],
      ['summarize', devRun, '-f'],
    ]
    for (const [i, r] of (await Promise.all(cases.map((args) => runlog([...args, '--interval', '1'])))).entries()) {
      const args = cases[i]
      expect(r.status, args.join(' ')).toBe(1)
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1)
      expect(r.stderr).toMatch(/a FIFO|a character device/)
    }
  })

  it('FIFOs among a run’s side files (files/, logs/) are skipped with a warning', async () => {
    const dir = tmp()
    const run = join(dir, 'run-20231106_034002-m84hjf9m')
    cpSync(join(CORPUS, ALPACA), run, {recursive: true})
    for (const name of ['config.yaml', 'wandb-metadata.json', 'wandb-summary.json', 'requirements.txt']) {
      const f = join('files', name)
      rmSync(join(run, f))
      await mkfifo(join(run, f))
    }
    mkdirSync(join(run, 'logs'), {recursive: true})
    await mkfifo(join(run, 'logs', 'debug-internal.log'))
    const r = await runlog(['summarize', run, '--json'])
    expect(r.status, r.stderr).toBe(0)
    const out = JSON.parse(r.stdout) as {run: {id: string; state: string}; warnings: string[]}
    expect(out.run).toMatchObject({id: 'm84hjf9m', state: 'finished'})
    const metadata = join(run, 'files', 'wandb-metadata.json')
    expect(out.warnings).toContain(`${metadata}: a FIFO (named pipe), not a file (skipped, never opened)`)
    const ls = await runlog(['ls', dir, '--json'])
    expect(ls.status).toBe(0)
    expect(JSON.parse(ls.stdout)).toHaveLength(1)
  })
})

describe('side files that are not read are named', () => {
  it("an empty run's FIFO output.log and wandb-summary.json, a directory named like a file: a warning each", async () => {
    const run = join(tmp(), 'run-20250101_000000-empty3')
    mkdirSync(join(run, 'files', 'wandb-metadata.json'), {recursive: true})
    writeFileSync(join(run, 'run-empty3.wandb'), HEADER_ONLY)
    await mkfifo(join(run, 'files', 'output.log'))
    await mkfifo(join(run, 'files', 'wandb-summary.json'))
    const r = await runlog(['summarize', run])
    expect(r.status, r.stderr).toBe(0)
    const files = join(run, 'files')
    expect(r.stderr).toContain(`warning: ${files}/output.log: a FIFO (named pipe), not a file (skipped, never opened)`)
    const fifo = 'a FIFO (named pipe), not a file (skipped, never opened)'
    expect(r.stderr).toContain(`warning: ${files}/wandb-summary.json: ${fifo}`)
    expect(r.stderr).toContain(`warning: ${files}/wandb-metadata.json: a directory, not a file (skipped)`)
  })
})

describe('which folders are runs', () => {
  it('symlinked run folders are followed once by real path, link cycles end, a real latest-run is listed', async () => {
    const root = tmp()
    const wandb = join(root, 'wandb')
    const a = join(wandb, 'run-20231106_034002-m84hjf9m')
    cpSync(join(CORPUS, ALPACA), a, {recursive: true})
    symlinkSync('run-20231106_034002-m84hjf9m', join(wandb, 'latest-run'))
    symlinkSync(a, join(wandb, 'alias'))
    symlinkSync('.', join(wandb, 'loop'))
    symlinkSync('..', join(wandb, 'up'))
    // a run outside the folder, reached through a link only
    const outside = tmp()
    cpSync(join(CORPUS, BANDA), join(outside, 'b'), {recursive: true})
    symlinkSync(join(outside, 'b'), join(wandb, 'linked-run'))
    // another wandb folder whose latest-run is a real directory (copied without links)
    cpSync(join(CORPUS, ALPACA_2), join(root, 'other', 'wandb', 'latest-run'), {recursive: true})
    const r = await runlogInProcess(['ls', root, '--json'])
    expect(r.status, r.stderr).toBe(0)
    const dirs = (JSON.parse(r.stdout) as Entry[]).map((e) => e.dir).sort()
    expect(dirs).toEqual([join(root, 'other', 'wandb', 'latest-run'), a, join(wandb, 'linked-run')].sort())
    // the same runs given again, through links, are listed once (`up` leads to the other folder too)
    const twice = await runlogInProcess(['ls', wandb, join(wandb, 'loop'), a, join(wandb, 'alias'), '--json'])
    expect((JSON.parse(twice.stdout) as Entry[]).map((e) => e.id).sort()).toEqual(['6pm3vk0i', 'm84hjf9m', 'uy0irnm3'])
    const all = await runlogInProcess(['summarize', join(root, 'other'), '--all', '--json'])
    expect((JSON.parse(all.stdout) as Array<{run: {id: string}}>).map((s) => s.run.id)).toEqual(['6pm3vk0i'])
  })

  it('a stray .wandb file in a sweep folder (or a sub-sweep) does not hide the runs below it', async () => {
    const sweep = tmp()
    cpSync(join(CORPUS, ALPACA), join(sweep, 'sub', 'deeper', ALPACA), {recursive: true})
    cpSync(join(CORPUS, BANDA), join(sweep, BANDA), {recursive: true})
    writeFileSync(join(sweep, 'notes.wandb'), 'not a log\n')
    writeFileSync(join(sweep, 'sub', 'old.wandb'), '')
    for (const cmd of [
      ['ls', sweep, '--json'],
      ['summarize', sweep, '--all', '--json'],
    ]) {
      const r = await runlogInProcess(cmd)
      expect(r.status, r.stderr).toBe(0)
      const entries = JSON.parse(r.stdout) as Array<Entry & {run?: {id: string}; id?: string}>
      const ids = entries.filter((e) => !('error' in e)).map((e) => e.id ?? e.run?.id)
      expect(ids).toEqual(expect.arrayContaining(['m84hjf9m', 'uy0irnm3']))
      expect(skippedLines(r.stderr).join('\n')).toContain(join(sweep, 'notes.wandb'))
    }
  })

  it('two .wandb logs: the one named after the folder’s run id, else the largest; a warning names all', async () => {
    const dir = tmp()
    const own = join(dir, 'run-20231106_034002-m84hjf9m')
    cpSync(join(CORPUS, ALPACA), own, {recursive: true})
    cpSync(join(CORPUS, ALPACA_2, 'run-6pm3vk0i.wandb'), join(own, 'run-6pm3vk0i.wandb'))
    const other = join(dir, 'copies')
    mkdirSync(other)
    cpSync(join(CORPUS, BANDA, 'run-uy0irnm3.wandb'), join(other, 'run-uy0irnm3.wandb'))
    cpSync(join(CORPUS, ALPACA, 'run-m84hjf9m.wandb'), join(other, 'run-m84hjf9m.wandb'))
    const r = await runlogInProcess(['ls', dir, '--json'])
    expect(r.status, r.stderr).toBe(0)
    const ids = Object.fromEntries((JSON.parse(r.stdout) as Entry[]).map((e) => [e.dir, e.id]))
    expect(ids).toEqual({[own]: 'm84hjf9m', [other]: 'm84hjf9m'})
    const ownWarning =
      `${own}: 2 .wandb logs (run-6pm3vk0i.wandb, run-m84hjf9m.wandb): ` +
      "reading run-m84hjf9m.wandb (named after the folder's run id)"
    expect(r.stderr).toContain(`warning: ${ownWarning}`)
    const otherWarning = `${other}: 2 .wandb logs (run-m84hjf9m.wandb, run-uy0irnm3.wandb): reading run-m84hjf9m.wandb`
    expect(r.stderr).toContain(`warning: ${otherWarning} (the largest)`)
    const s = await runlogInProcess(['summarize', own, '--json'])
    expect((JSON.parse(s.stdout) as {warnings: string[]}).warnings).toContain(ownWarning)
  })

  // root reads any directory whatever its mode: the case needs another user (the "a directory named run-x.wandb" case
  // above covers a log that cannot be read as root too).
  const asRoot = process.getuid?.() === 0
  it.skipIf(asRoot)('a run folder that cannot be listed says so, and the others are read', async () => {
    const dir = tmp()
    cpSync(join(CORPUS, ALPACA), join(dir, 'run-20231106_034002-m84hjf9m'), {recursive: true})
    const locked = join(dir, 'run-20250101_000000-locked')
    cpSync(join(CORPUS, BANDA), locked, {recursive: true})
    chmodSync(locked, 0)
    try {
      const one = await runlogInProcess(['summarize', locked])
      expect(one.status).toBe(1)
      expect(one.stderr.trim()).toBe(`runlog: ${locked}: cannot read this directory (EACCES)`)
      const ls = await runlogInProcess(['ls', dir, '--json'])
      expect(ls.status).toBe(0)
      const entry = (JSON.parse(ls.stdout) as Entry[]).find((e) => e.dir === locked)
      expect(entry).toEqual({dir: locked, error: `${locked}: cannot read this directory (EACCES)`})
    } finally {
      chmodSync(locked, 0o755)
    }
  })
})
