import {readFileSync} from 'node:fs'
import {installCleanExit} from './clean-exit.js'
import {type CommandIo, commandIo} from './command-io.js'
import {type CommandFailure, sayCommandError} from './command-error.js'
import {type ManifestCommand, type ParsedArgv, jsonRequested, parseArgv} from './fast-argv.js'
import {diagnosisOptionsOf} from './flag-values.js'
import type {LsFlags} from './run-ls.js'
import type {HistoryFlags} from './run-history.js'
import type {SummarizeFlags} from './run-summarize.js'

/** A command's body, ready to run with the parsed command line; null when oclif should run it instead. */
type Prepared = ((io: CommandIo) => Promise<unknown>) | null

/** The commands the fast path runs: each loads its own body only (no oclif, no other command's modules). */
const COMMANDS: Record<string, (parsed: ParsedArgv) => Prepared> = {
  ls: ({argv, flags}) => {
    const lsFlags = flags as unknown as LsFlags
    return async (io) => (await import('./run-ls.js')).runLs(argv, lsFlags, io)
  },
  history: ({args, flags}) => {
    const historyFlags = flags as unknown as HistoryFlags
    return async (io) => (await import('./run-history.js')).runHistory(args.run, historyFlags, io)
  },
  summarize: ({args, flags}) => {
    // A bad --judge-threshold is a flag error: oclif says it (exit 2).
    const diagnosis = diagnosisOptionsOf(flags as {'judge-threshold': number; window: number})
    if (typeof diagnosis === 'string') return null
    return async (io) =>
      (await import('./run-summarize.js')).runSummarize(args.run, flags as unknown as SummarizeFlags, diagnosis, io)
  },
}

/** package.json's `oclif.bin`. */
const BIN = 'runlog'

/** The name oclif gives a setting of its own (`config.scopedEnvVarKey`: the bin in capitals, then the name). */
const oclifScoped = (name: string) => `${BIN.toUpperCase()}_${name}`

/**
 * What `bin/run.js` does first: runs `runlog ARGV` on the fast path (`runFast`) unless `env` holds a setting oclif
 * itself reads (`DEBUG`, `OCLIF_*`, its scoped `DEBUG` and `CONTENT_TYPE`) or `RUNLOG_FORCE_OCLIF`; returns false when
 * oclif should run the line. Either way it drops the scoped `REDIRECTED` from `env`, as oclif's Command does.
 */
export async function runFastUnlessOclif(argv: readonly string[], root: URL, env: NodeJS.ProcessEnv): Promise<boolean> {
  const oclifOwn = new Set([oclifScoped('DEBUG'), oclifScoped('CONTENT_TYPE'), 'RUNLOG_FORCE_OCLIF'])
  const oclifEnv = Object.keys(env).some((k) => k === 'DEBUG' || k.startsWith('OCLIF_') || oclifOwn.has(k))
  delete env[oclifScoped('REDIRECTED')]
  return !oclifEnv && runFast(argv, root)
}

/**
 * Runs `runlog ARGV` without loading oclif when it is a plain command line of ls, history or summarize (parsed from
 * oclif.manifest.json in `root`), printing and exiting exactly as oclif would; returns false, having done nothing,
 * for any other command line (help, a flag error, another command, no manifest): oclif runs that one.
 */
export async function runFast(argv: readonly string[], root: URL): Promise<boolean> {
  const [id, ...rest] = argv
  if (!Object.hasOwn(COMMANDS, id)) return false
  const command = manifestCommand(root, id)
  const parsed = command && parseArgv(rest, command)
  const body = parsed && COMMANDS[id](parsed)
  if (!body) return false
  const json = jsonRequested(rest, command)
  const io = commandIo(json)
  installCleanExit()
  let result: unknown
  try {
    result = await body(io)
  } catch (error) {
    await failed(error as CommandFailure, io)
    return true
  }
  // oclif's Command._run, then execute's flush
  if (result && json) io.logJson(result)
  await flush()
  return true
}

function manifestCommand(root: URL, id: string): ManifestCommand | undefined {
  let manifest: {commands?: Record<string, ManifestCommand>}
  try {
    manifest = JSON.parse(readFileSync(new URL('oclif.manifest.json', root), 'utf8')) as typeof manifest
  } catch {
    return undefined
  }
  const command = manifest.commands?.[id]
  return command?.id === id ? command : undefined
}

/** As RunlogCommand.catch, then oclif's Command.catch and `handle` for the errors runlog leaves to oclif. */
async function failed(error: CommandFailure, io: CommandIo): Promise<void> {
  const exit = sayCommandError(error, io)
  if (exit !== undefined) process.exit(exit)
  process.exitCode = process.exitCode ?? error.exitCode ?? 1
  if (io.json) {
    io.logJson({error: {...error, message: error.message, name: error.name}})
    await flush()
    return
  }
  const {handle} = await import('@oclif/core')
  await handle(error)
}

/** oclif's `flush`: waits until stdout has taken what was written (10 s at most). */
async function flush(): Promise<void> {
  if (process.stdout.write('')) return
  await new Promise<void>((resolve) => {
    process.stdout.once('drain', () => resolve())
    setTimeout(resolve, 10_000).unref()
  })
}
