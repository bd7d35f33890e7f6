import {spawn} from 'node:child_process'
import {closeSync, existsSync, mkdtempSync, openSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {describe, expect, it} from 'vitest'
import {runFast, runFastUnlessOclif} from '../../src/cli/fast-path.js'
import {runlog} from '../helpers/cli.js'
import {modulesLoaded} from '../helpers/module-trace.js'
import {FIXTURES, GRPO_RUN, GRPO_SAMPLE, ROOT} from '../helpers/fixtures.js'
import {runlogInProcess} from '../helpers/in-process-cli.js'

const tmp = mkdtempSync(join(tmpdir(), 'runlog-fast-path-'))
const empty = mkdtempSync(join(tmp, 'empty-'))
const P30 = join(FIXTURES, 'trainer-logs', 'training_p30.log')
const OUTAGE = join(FIXTURES, 'judge-outage')
const RUNLOG = join(ROOT, 'bin', 'run.js')

// Loaded before bin/run.js: says on stderr, last, whether the process loaded oclif (its settings module sets
// `globalThis.oclif`).
const probe = join(tmp, 'oclif-probe.mjs')
writeFileSync(
  probe,
  `import {writeSync} from 'node:fs'
import {isMainThread} from 'node:worker_threads'
if (isMainThread) process.on('exit', () => writeSync(2, globalThis.oclif ? '[oclif]' : '[fast]'))
`,
)
const PROBE = {NODE_OPTIONS: `--import=${pathToFileURL(probe).href}`}
const OCLIF = {RUNLOG_FORCE_OCLIF: '1'}

/**
 * Each command line, run as bin/run.js runs it and forced through oclif: same stdout, stderr and exit code. They run
 * in-process (bin/run.js's dispatch, `runFastUnlessOclif`, inside the test worker), which prints what the process
 * prints; the spawned cases below check that on the real bin/run.js.
 */
const CASES: Array<[string, string[], {fast: boolean; cwd?: string; env?: Record<string, string>}]> = [
  ['ls, a table', ['ls', join(GRPO_SAMPLE, 'wandb')], {fast: true}],
  ['ls --json', ['ls', join(GRPO_SAMPLE, 'wandb'), '--json'], {fast: true}],
  ['ls --format csv, several folders', ['ls', OUTAGE, join(GRPO_SAMPLE, 'wandb'), '--format', 'csv'], {fast: true}],
  ['ls --format md --wide', ['ls', '--format=md', '--wide', OUTAGE], {fast: true}],
  ['ls, no folder: ./wandb', ['ls'], {fast: true, cwd: GRPO_SAMPLE}],
  ['ls, no folder and no ./wandb', ['ls', '--json'], {fast: true, cwd: empty}],
  ['ls, a missing folder', ['ls', join(tmp, 'nope')], {fast: true}],
  ['ls --json, a missing folder', ['ls', join(tmp, 'nope'), '--json'], {fast: true}],
  ['ls, a file that is not a run', ['ls', join(GRPO_SAMPLE, 'README.md')], {fast: true}],
  ['ls, an empty folder', ['ls', empty], {fast: true}],
  ['ls, an empty folder --json', ['ls', empty, '--json'], {fast: true}],
  ['history --format jsonl', ['history', GRPO_RUN, '--format', 'jsonl'], {fast: true}],
  ['history --format csv --keys', ['history', GRPO_RUN, '--format', 'csv', '--keys', 'train/*'], {fast: true}],
  ['history, a table --wide', ['history', GRPO_RUN, '--wide'], {fast: true}],
  ['history of a trainer log', ['history', P30, '--format', 'jsonl'], {fast: true}],
  ['history --output', ['history', GRPO_RUN, '--format', 'csv', '-o', join(tmp, 'h.csv')], {fast: true}],
  ['history, arrow without --output', ['history', GRPO_RUN, '--format', 'arrow'], {fast: true}],
  ['history, a missing run', ['history', join(tmp, 'nope.wandb')], {fast: true}],
  ['summarize', ['summarize', GRPO_RUN], {fast: true}],
  ['summarize --json', ['summarize', GRPO_RUN, '--json'], {fast: true}],
  ['summarize --format md --metrics 3', ['summarize', GRPO_RUN, '--format', 'md', '--metrics', '3'], {fast: true}],
  ['summarize of a trainer log --format csv', ['summarize', P30, '--format', 'csv'], {fast: true}],
  ['summarize, no run here', ['summarize'], {fast: true, cwd: empty}],
  ['summarize --json, an empty folder', ['summarize', empty, '--json'], {fast: true}],
  ['summarize --all --json', ['summarize', OUTAGE, '--all', '--json'], {fast: true}],
  ['summarize --all, nothing readable', ['summarize', empty, '--all'], {fast: true}],
  ['a RUNLOG_ setting error', ['summarize', GRPO_RUN], {fast: true, env: {RUNLOG_DUCKDB_MEMORY: 'lots'}}],
  ['a flag error', ['ls', '--nope'], {fast: false}],
  ['a bad value', ['ls', '--format', 'json'], {fast: false}],
  ['a custom flag error', ['summarize', GRPO_RUN, '--judge-threshold', '2'], {fast: false}],
  ['a missing required arg', ['history'], {fast: false}],
  ['--help', ['summarize', '--help'], {fast: false}],
  ['another command', ['check', GRPO_RUN], {fast: false}],
  ['RUNLOG_CONTENT_TYPE=json (oclif reads it)', ['ls', empty], {fast: false, env: {RUNLOG_CONTENT_TYPE: 'json'}}],
]

describe('the fast path of bin/run.js (ls, history, summarize without oclif)', () => {
  it.each(CASES)('prints what oclif prints: %s', async (_, args, {fast, cwd, env}) => {
    const {path, ...direct} = await runlogInProcess(args, {cwd, env, fastPath: true})
    const {path: forced, ...oclif} = await runlogInProcess(args, {cwd, env: {...env, ...OCLIF}, fastPath: true})
    expect([path, forced], direct.stderr).toEqual([fast ? 'fast' : 'oclif', 'oclif'])
    expect(direct).toEqual(oclif)
  })

  // The process itself: bin/run.js's dispatch, told apart by the probe, against a process forced through oclif.
  const SPAWNED: Array<[string, string[], boolean]> = [
    ['ls, a table', ['ls', join(GRPO_SAMPLE, 'wandb')], true],
    ['history --format jsonl', ['history', GRPO_RUN, '--format', 'jsonl'], true],
    ['summarize --json', ['summarize', GRPO_RUN, '--json'], true],
    ['a flag error', ['ls', '--nope'], false],
  ]
  it.each(SPAWNED)('the process prints what oclif prints: %s', async (_, args, fast) => {
    const [direct, oclif] = await Promise.all([runlog(args, {env: PROBE}), runlog(args, {env: OCLIF})])
    expect(direct.stderr.endsWith(fast ? '[fast]' : '[oclif]'), direct.stderr).toBe(true)
    const printed = {...direct, stderr: direct.stderr.slice(0, -'[fast]'.length - (fast ? 0 : 1))}
    expect(printed).toEqual(oclif)
    // and the in-process dispatch prints what the process does
    const {path, ...inProcess} = await runlogInProcess(args, {fastPath: true})
    expect(path).toBe(fast ? 'fast' : 'oclif')
    expect(inProcess).toEqual(printed)
  })

  it('leaves every setting oclif reads to oclif, and drops RUNLOG_REDIRECTED as oclif does', async () => {
    const settings: Array<Record<string, string>> = [
      {DEBUG: ''},
      {OCLIF_DISABLE_ENGINE_WARNING: '1'},
      {RUNLOG_DEBUG: '1'},
    ]
    for (const env of settings) {
      const r = await runlogInProcess(['ls', empty, '--json'], {env, fastPath: true})
      expect([r.path, r.status], JSON.stringify(env)).toEqual(['oclif', 0])
    }
    // a RUNLOG_ name that only starts like one of them is not oclif's
    const r = await runlogInProcess(['ls', empty, '--json'], {env: {RUNLOG_DEBUGGING: '1'}, fastPath: true})
    expect([r.path, r.status]).toEqual(['fast', 0])
    const env: NodeJS.ProcessEnv = {RUNLOG_REDIRECTED: '1', RUNLOG_FORCE_OCLIF: '1'}
    expect(await runFastUnlessOclif(['ls', empty], pathToFileURL(`${ROOT}/`), env)).toBe(false)
    expect(env).toEqual({RUNLOG_FORCE_OCLIF: '1'})
  })

  it('ls and history load neither oclif, DuckDB nor vega', async () => {
    for (const args of [
      ['ls', join(GRPO_SAMPLE, 'wandb')],
      ['history', GRPO_RUN, '--format', 'jsonl'],
    ]) {
      const modules = await modulesLoaded(args)
      expect(modules, args.join(' ')).toMatch(/fast-path\.js/)
      expect(modules, args.join(' ')).not.toMatch(/@oclif|@duckdb|\/vega/)
    }
    // the same hook sees them where they are loaded
    expect(await modulesLoaded(['summarize', GRPO_RUN, '--json'])).toMatch(/@duckdb/)
  })

  it.skipIf(!existsSync('/dev/full'))('a full disk on stdout: the same line and exit code', async () => {
    const toFull = async (args: string[], env: Record<string, string>) => {
      const full = openSync('/dev/full', 'w')
      const child = spawn(process.execPath, [RUNLOG, ...args], {
        cwd: ROOT,
        env: {...process.env, ...env},
        stdio: ['ignore', full, 'pipe'],
      })
      closeSync(full)
      let stderr = ''
      child.stderr!.on('data', (d) => (stderr += d))
      const code = await new Promise((resolve) => child.on('close', resolve))
      return {code, stderr}
    }
    for (const args of [
      ['ls', join(GRPO_SAMPLE, 'wandb'), '--json'],
      ['summarize', GRPO_RUN],
    ]) {
      const [direct, oclif] = [await toFull(args, {}), await toFull(args, OCLIF)]
      expect(direct).toEqual(oclif)
      expect(direct.code).toBe(1)
    }
  })

  it('a pipe closed early: the same silent exit (141)', async () => {
    // ~0.9 MB of jsonl: more than a pipe holds, so the write fails whichever process is quicker
    const big = join(FIXTURES, 'corpus', 'cs336-own-transformer__run-20260120_061615-xinacahi')
    const closedEarly = async (env: Record<string, string>) => {
      const child = spawn(process.execPath, [RUNLOG, 'history', big, '--format', 'jsonl'], {
        cwd: ROOT,
        env: {...process.env, ...env},
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let stderr = ''
      child.stderr.on('data', (d) => (stderr += d))
      child.stdout.once('data', () => child.stdout.destroy())
      const code = await new Promise((resolve) => child.on('close', resolve))
      return {code, stderr}
    }
    expect(await closedEarly({})).toEqual({code: 141, stderr: ''})
    expect(await closedEarly(OCLIF)).toEqual({code: 141, stderr: ''})
  })

  it('leaves the command line to oclif without a manifest, or for a command it does not run', async () => {
    const noManifest = pathToFileURL(`${empty}/`)
    expect(await runFast(['ls', empty], noManifest)).toBe(false)
    const root = pathToFileURL(`${ROOT}/`)
    expect(await runFast(['compare', empty], root)).toBe(false)
    expect(await runFast(['constructor'], root)).toBe(false)
    expect(await runFast([], root)).toBe(false)
  })
})
