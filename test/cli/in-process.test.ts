import {existsSync, mkdtempSync, symlinkSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {runlog} from '../helpers/cli.js'
import {FIXTURES, GRPO_RUN, GRPO_SAMPLE} from '../helpers/fixtures.js'
import {type InProcessOptions, runlogInProcess} from '../helpers/in-process-cli.js'
import {runlogInTerminal} from '../helpers/pty.js'

const tmp = () => mkdtempSync(join(tmpdir(), 'runlog-inproc-'))

// The end-to-end tests run most commands in-process: what they see must be what the spawned CLI prints.
describe('runlogInProcess', () => {
  const dir = tmp()
  const full = join(dir, 'full.svg')
  if (existsSync('/dev/full')) symlinkSync('/dev/full', full)
  const THREADS = {env: {RUNLOG_THREADS: '2', RUNLOG_PARALLEL_MIN_BYTES: '0'}}
  // One cheap command line per mechanism: each case spawns a CLI, which costs far more than the command's work.
  const cases: Array<[string, string[], InProcessOptions?]> = [
    ['--json, in the working directory', ['summarize', '--json'], {cwd: GRPO_SAMPLE}],
    ['tables', ['summarize', GRPO_RUN]],
    ['history through writeSync', ['history', GRPO_RUN, '--format', 'jsonl']],
    ['worker threads', ['compare', GRPO_RUN, join(FIXTURES, 'trainer-logs', 'training_p30.log'), '--json'], THREADS],
    ['an input error (exit 1)', ['summarize', join(dir, 'nope')]],
    ['an unknown flag (exit 2, usage on stderr)', ['summarize', GRPO_RUN, '--nope']],
    ['a mistyped command (exit 127)', ['sumarize', 'x']],
    ['help', ['help', 'compare']],
    ['an SQL error', ['query', GRPO_RUN, 'SELEC nothing']],
    ['an environment setting', ['summarize', GRPO_RUN], {env: {RUNLOG_DUCKDB_MEMORY: 'lots'}}],
  ]
  // A failed write ends the process on the spot: nothing it would have printed after that.
  if (existsSync('/dev/full')) cases.push(['an output file on a full disk', ['summarize', GRPO_RUN, '--chart', full]])

  it.each(cases)('prints what the CLI prints: %s', async (_, args, opts) => {
    const [spawned, inProcess] = await Promise.all([runlog(args, opts), runlogInProcess(args, opts)])
    expect(inProcess).toEqual(spawned)
  })

  // `columns` stands for a pty: a fitted table, colour, and the terminal's stdin, as `script` shows them.
  const P30 = join(FIXTURES, 'trainer-logs', 'training_p30.log')
  const terminal: Array<[string, string[], number, Record<string, string>?]> = [
    ['a table fitted to 80 columns, coloured', ['compare', GRPO_RUN, P30], 80],
    ['the corpus at 200 columns, coloured', ['ls', join(FIXTURES, 'corpus')], 200],
    ['NO_COLOR at 120 columns', ['summarize', GRPO_RUN], 120, {NO_COLOR: '1'}],
    ['--wide at 40 columns', ['efficiency', GRPO_RUN, '--wide'], 40],
  ]
  it.each(terminal)('prints what the CLI prints on a terminal: %s', async (_, args, columns, env) => {
    const runner = [process.stdout.isTTY, process.stdout.columns, process.stdin.isTTY]
    const [pty, inProcess] = await Promise.all([
      runlogInTerminal(args, {columns, env}),
      runlogInProcess(args, {columns, env}),
    ])
    expect(pty.screen).toContain('┌')
    expect({status: inProcess.status, screen: inProcess.stdout, stderr: inProcess.stderr}).toEqual(pty)
    // Afterwards the runner's streams are what they were.
    expect([process.stdout.isTTY, process.stdout.columns, process.stdin.isTTY]).toEqual(runner)
  })

  // eslint-disable-next-line @typescript-eslint/unbound-method -- `write` is compared by identity, never called
  const globals = () => ({cwd: process.cwd(), argv: process.argv, write: process.stdout.write, env: {...process.env}})
  const handlers = () => [
    ...['SIGINT', 'SIGTERM', 'SIGHUP', 'exit'].map((e) => process.listenerCount(e)),
    ...['error', 'drain'].map((e) => process.stdout.listenerCount(e)),
  ]

  it("restores oclif's process-wide settings: a call with RUNLOG_DEBUG leaves no stack traces to the next", async () => {
    const empty = mkdtempSync(join(tmpdir(), 'runlog-in-process-debug-'))
    expect((await runlogInProcess(['ls', empty, '--json'], {env: {RUNLOG_DEBUG: '1'}})).status).toBe(0)
    const r = await runlogInProcess(['summarize', GRPO_RUN, '--nope'])
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('Nonexistent flag: --nope')
    expect(r.stderr).not.toMatch(/^\s+at /m)
  })

  it('restores what it changed: env, cwd, argv, exit code, stdout', async () => {
    const before = globals()
    const listeners = handlers()
    const r = await runlogInProcess(['summarize', join(dir, 'nope')], {cwd: dir, env: {RUNLOG_THREADS: '1'}})
    expect(r.status).toBe(1)
    expect((await runlogInProcess(['help', 'ls'])).status).toBe(0)
    expect(globals()).toEqual(before)
    expect(process.exitCode).toBeUndefined()
    expect(handlers()).toEqual(listeners)
  })

  it('restores what it changed on the fast path too (bin/run.js dispatch, clean-exit handlers)', async () => {
    const before = globals()
    const listeners = handlers()
    const calls: Array<[string[], Record<string, string>, 'fast' | 'oclif', number]> = [
      // success, an input error (exit 1), no run read with --json (exit 1), and a flag error oclif says (exit 2)
      [['summarize', GRPO_RUN, '--json'], {RUNLOG_REDIRECTED: '1'}, 'fast', 0],
      [['summarize', join(dir, 'nope')], {RUNLOG_THREADS: '1'}, 'fast', 1],
      [['ls', join(dir, 'nope'), '--json'], {}, 'fast', 1],
      [['ls', '--nope'], {}, 'oclif', 2],
    ]
    for (const [args, env, path, status] of calls) {
      const r = await runlogInProcess(args, {cwd: dir, env, fastPath: true})
      expect([r.path, r.status], args.join(' ')).toEqual([path, status])
    }
    expect(globals()).toEqual(before)
    expect(process.exitCode).toBeUndefined()
    expect(handlers()).toEqual(listeners)
  })
})
