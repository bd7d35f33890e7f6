import fs from 'node:fs'
import {syncBuiltinESMExports} from 'node:module'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {Config, ModuleLoader, execute, settings as oclifSettings} from '@oclif/core'
import {isMainThread} from 'node:worker_threads'
import type * as FastPath from '../../src/cli/fast-path.js'
import {type CliResult, runlog} from './cli.js'
import {ROOT} from './fixtures.js'

export interface InProcessOptions {
  cwd?: string
  env?: Record<string, string>
  /**
   * stdout (and stdin) shown as a terminal this many columns wide, as a pty shows them (`isTTY`, `columns`); stderr
   * stays a pipe. oclif's own help layout reads the width once at load, so a help test still needs a real pty.
   */
  columns?: number
  /**
   * Dispatch as `bin/run.js` does: the fast path (`runFastUnlessOclif` of `dist/cli/fast-path.js`, with the same
   * environment checks), oclif's `execute` when it declines. The result says which one ran (`path`).
   */
  fastPath?: boolean
}

/** What the process would have printed; with `fastPath`, also which path ran the command line. */
export interface InProcessResult extends CliResult {
  path?: 'fast' | 'oclif'
}

/**
 * Runs `runlog ARGS` inside the test worker through oclif's `execute` over the built `dist` (with `fastPath`, through
 * `bin/run.js`'s dispatch), and returns what the process would have: its stdout, its stderr and its exit status. It
 * saves a Node start and oclif's module loading per call; a test of the process itself (signals, broken pipes, a
 * terminal, stdin) spawns `runlog`.
 *
 * Calls run one at a time: the command sees the process's globals (env, cwd, argv, stdout), which are set for the
 * call and restored after it.
 */
export function runlogInProcess(args: string[], opts: InProcessOptions = {}): Promise<InProcessResult> {
  // A worker thread cannot change the working directory: there the call needs a process of its own.
  if (!isMainThread && opts.cwd) {
    if (opts.fastPath) return Promise.reject(new Error('runlogInProcess: fastPath with a cwd needs the main thread'))
    return runlog(args, opts)
  }
  const result = queue.then(() => runOnce(args, opts))
  queue = result.catch(() => undefined)
  return result
}

let queue: Promise<unknown> = Promise.resolve()
let config: Promise<Config> | undefined
let fastPath: Promise<typeof FastPath> | undefined

/** Thrown by the stand-in for `process.exit`, to unwind the command as a real exit would stop it. */
class ProcessExit extends Error {}

/** The signals and events runlog installs handlers for: its handlers must not outlive the call. */
const PROCESS_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

async function runOnce(args: string[], opts: InProcessOptions): Promise<InProcessResult> {
  config ??= Config.load(ROOT)
  const loaded = await config
  // Through oclif's loader, a native import (vitest would transform a plain `import()` of dist): the same modules
  // (clean-exit, command-io, …) as the commands oclif loads.
  if (opts.fastPath) fastPath ??= ModuleLoader.load<typeof FastPath>(loaded, join(ROOT, 'dist', 'cli', 'fast-path.js'))
  const fast = opts.fastPath ? await fastPath : undefined
  const restore = [
    setEnv(opts.env ?? {}),
    setCwd(opts.cwd ?? ROOT),
    setArgv(args),
    opts.columns ? asTerminal(process.stdout, opts.columns) : asPipe(process.stdout),
    asPipe(process.stderr),
    opts.columns ? asTerminal(process.stdin) : asPipe(process.stdin),
    keepListeners(),
    keepOclifSettings(),
  ]
  const capture = captureOutput()
  let exitCode: number | undefined
  const savedExitCode = process.exitCode
  process.exitCode = undefined
  // An exit (oclif's error handler, a failed write) ends the process: its code is kept, what follows is unwound
  // by a throw and prints nothing, as nothing runs after a real exit.
  const restoreExit = replace(process, 'exit', (code?: number | string | null) => {
    if (exitCode === undefined) {
      exitCode = Number(code ?? process.exitCode ?? 0)
      capture.end()
    }
    throw new ProcessExit()
  })
  // Set before the fast path runs: an exit inside it unwinds past the assignment of what it returned.
  let path: InProcessResult['path'] = fast && 'fast'
  try {
    try {
      // bin/run.js's dispatch: the environment is the call's, and the root the folder above bin/.
      if (fast && !(await fast.runFastUnlessOclif(args, pathToFileURL(`${ROOT}/`), process.env))) path = 'oclif'
      if (path !== 'fast') await execute({args, loadOptions: loaded})
    } catch (error) {
      if (!(error instanceof ProcessExit)) throw error
    }
    // Output a command leaves to the event loop (a stream's last write) is part of what the process prints.
    await new Promise((resolve) => setImmediate(resolve))
    const status = exitCode ?? Number(process.exitCode ?? 0)
    return {status, stdout: capture.stdout(), stderr: capture.stderr(), ...(path && {path})}
  } finally {
    capture.restore()
    restoreExit()
    process.exitCode = savedExitCode
    for (const undo of restore.reverse()) undo()
  }
}

function setEnv(env: Record<string, string>): () => void {
  const saved = {...process.env}
  Object.assign(process.env, env)
  return () => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key]
    Object.assign(process.env, saved)
  }
}

function setCwd(cwd: string): () => void {
  const saved = process.cwd()
  process.chdir(cwd)
  return () => process.chdir(saved)
}

function setArgv(args: string[]): () => void {
  const saved = process.argv
  process.argv = [process.execPath, join(ROOT, 'bin', 'run.js'), ...args]
  return () => {
    process.argv = saved
  }
}

/** The stream as a pipe shows it (no terminal, no width), whatever the test runner's own streams are. */
function asPipe(stream: NodeJS.ReadStream | NodeJS.WriteStream): () => void {
  return presentAs(stream, {isTTY: undefined, columns: undefined})
}

/** The stream as a terminal shows it: `isTTY`, and `columns` on an output stream (an input one has no width). */
function asTerminal(stream: NodeJS.ReadStream | NodeJS.WriteStream, columns?: number): () => void {
  return presentAs(stream, {isTTY: true, columns})
}

function presentAs(
  stream: NodeJS.ReadStream | NodeJS.WriteStream,
  values: {isTTY: true | undefined; columns: number | undefined},
): () => void {
  const keys = ['isTTY', 'columns'] as const
  const saved = keys.map((key) => [key, Object.getOwnPropertyDescriptor(stream, key)] as const)
  for (const key of keys) Object.defineProperty(stream, key, {value: values[key], configurable: true, writable: true})
  return () => {
    for (const [key, descriptor] of saved) {
      if (descriptor) Object.defineProperty(stream, key, descriptor)
      else delete (stream as unknown as Record<string, unknown>)[key]
    }
  }
}

/**
 * Undoes the signal handlers and stdout error handler a call installs (they would end the test worker), and runs the
 * `exit` handlers it left (a real process runs them as it ends: they remove temporary folders).
 */
/**
 * oclif keeps its settings in one object for the life of the process (the `globalThis.oclif` of when it loaded: the
 * global may have been replaced since): a run with `RUNLOG_DEBUG` set turns `debug` on there, and every later call in
 * this worker would print stack traces.
 */
function keepOclifSettings(): () => void {
  const settings = oclifSettings as Record<string, unknown>
  const saved = {...settings}
  return () => {
    for (const key of Object.keys(settings)) if (!(key in saved)) delete settings[key]
    Object.assign(settings, saved)
  }
}

function keepListeners(): () => void {
  const saved = PROCESS_EVENTS.map((event) => [event, process.listeners(event)] as const)
  const stdoutErrors = process.stdout.listeners('error')
  // oclif's flush waits for a 'drain' that a captured write never needs: its listener would pile up call after call.
  const stdoutDrains = process.stdout.listeners('drain')
  const exitHandlers = new Set(process.listeners('exit'))
  return () => {
    for (const handler of process.listeners('exit')) {
      if (exitHandlers.has(handler)) continue
      process.off('exit', handler)
      handler(0)
    }
    for (const [event, listeners] of saved) {
      process.removeAllListeners(event)
      for (const l of listeners) process.on(event, l as (...a: unknown[]) => void)
    }
    process.stdout.removeAllListeners('error')
    for (const l of stdoutErrors) process.stdout.on('error', l as (...a: unknown[]) => void)
    process.stdout.removeAllListeners('drain')
    for (const l of stdoutDrains) process.stdout.on('drain', l as (...a: unknown[]) => void)
  }
}

/** Captures what goes to fds 1 and 2: through the streams (`this.log`, `process.stderr.write`) and `fs.writeSync`. */
function captureOutput(): {stdout(): string; stderr(): string; end(): void; restore(): void} {
  const chunks: Record<1 | 2, Buffer[]> = {1: [], 2: []}
  // After the process's exit nothing more reaches stdout or stderr.
  let ended = false
  const toBuffer = (data: string | Uint8Array, encoding?: BufferEncoding) =>
    typeof data === 'string' ? Buffer.from(data, encoding ?? 'utf8') : Buffer.from(data)
  const streamWrite = (fd: 1 | 2) =>
    function (data: string | Uint8Array, ...rest: unknown[]): boolean {
      if (!ended) chunks[fd].push(toBuffer(data, typeof rest[0] === 'string' ? (rest[0] as BufferEncoding) : undefined))
      const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined
      if (done) process.nextTick(done)
      return true
    }
  const restoreStdout = replace(process.stdout, 'write', streamWrite(1))
  const restoreStderr = replace(process.stderr, 'write', streamWrite(2))
  const savedWriteSync = fs.writeSync
  // OutputSink writes to fd 1 with writeSync (bounded memory): those bytes are stdout too.
  const writeSync = (fd: number, data: string | NodeJS.ArrayBufferView, ...rest: unknown[]): number => {
    if (fd !== 1 && fd !== 2) return (savedWriteSync as (...a: unknown[]) => number)(fd, data, ...rest)
    if (typeof data === 'string') {
      if (!ended) chunks[fd].push(Buffer.from(data, typeof rest[1] === 'string' ? (rest[1] as BufferEncoding) : 'utf8'))
      return Buffer.byteLength(data)
    }
    const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
    const offset = typeof rest[0] === 'number' ? rest[0] : 0
    const length = typeof rest[1] === 'number' ? rest[1] : bytes.length - offset
    if (!ended) chunks[fd].push(Buffer.from(bytes.subarray(offset, offset + length)))
    return length
  }
  const restoreWriteSync = replace(fs, 'writeSync', writeSync)
  syncBuiltinESMExports()
  return {
    stdout: () => Buffer.concat(chunks[1]).toString('utf8'),
    stderr: () => Buffer.concat(chunks[2]).toString('utf8'),
    end: () => {
      ended = true
    },
    restore() {
      restoreStdout()
      restoreStderr()
      restoreWriteSync()
      syncBuiltinESMExports()
    },
  }
}

/** Sets `target[key]` to `value` and returns what puts the original back (kept as it was, never called here). */
function replace<T extends object, K extends keyof T>(target: T, key: K, value: T[K]): () => void {
  const saved = target[key]
  target[key] = value
  return () => {
    target[key] = saved
  }
}
