import {CUSTOM_FLAG_VALUES} from './flag-values.js'

/** A flag as oclif.manifest.json holds it, with the value kind scripts/write-manifest.js adds (`runlogValue`). */
export interface ManifestFlag {
  name: string
  type: 'boolean' | 'option'
  char?: string
  default?: unknown
  options?: string[]
  exclusive?: string[]
  runlogValue?: {kind: 'string' | 'integer' | 'custom'; min?: number; max?: number}
  [other: string]: unknown
}

export interface ManifestArg {
  name: string
  required?: boolean
  [other: string]: unknown
}

export interface ManifestCommand {
  id: string
  strict?: boolean
  enableJsonFlag?: boolean
  flags: Record<string, ManifestFlag>
  args: Record<string, ManifestArg>
  [other: string]: unknown
}

/** What oclif's parser gives a command (`this.parse`): its args by name, every positional, the flags with defaults. */
export interface ParsedArgv {
  args: Record<string, string>
  argv: string[]
  flags: Record<string, unknown>
}

/**
 * The keys of a manifest flag (or arg) this parser knows the meaning of. A flag with any other (env, dependsOn,
 * relationships, multiple: true, allowNo: true, …) leaves the whole command line to oclif.
 */
const KNOWN_FLAG_KEYS = new Set([
  'name',
  'type',
  'char',
  'default',
  'options',
  'exclusive',
  'runlogValue',
  'description',
  'summary',
  'helpGroup',
  'helpValue',
  'hidden',
])
const KNOWN_ARG_KEYS = new Set(['name', 'description', 'required', 'hidden'])

/**
 * Parses a command's argv (after its id) against its manifest entry as oclif's parser would, for the plain command
 * lines only: `--flag value`, `--flag=value`, `-c value`, `--bool`, `-b` and positionals. Anything else — an unknown
 * or repeated flag, a value oclif would refuse or that starts with `-`, `--`, `--help`, a flag feature not handled
 * here — gives null: oclif then parses (and reports) it as always.
 */
export function parseArgv(argv: readonly string[], command: ManifestCommand): ParsedArgv | null {
  if (!knownShape(command)) return null
  const flagList = Object.values(command.flags)
  const flags: Record<string, unknown> = {}
  const given = new Set<string>()
  const positionals: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]
    if (!token.startsWith('-')) {
      positionals.push(token)
      continue
    }
    let flag: ManifestFlag | undefined
    let inline: string | undefined
    if (token.startsWith('--')) {
      const eq = token.indexOf('=')
      const name = eq === -1 ? token.slice(2) : token.slice(2, eq)
      inline = eq === -1 ? undefined : token.slice(eq + 1)
      flag = Object.hasOwn(command.flags, name) ? command.flags[name] : undefined
    } else {
      if (token.length !== 2) return null
      flag = flagList.find((f) => f.char === token[1])
    }
    if (!flag || given.has(flag.name)) return null
    given.add(flag.name)
    if (flag.type === 'boolean') {
      if (inline !== undefined) return null
      flags[flag.name] = true
      continue
    }
    const text = inline ?? argv[++i]
    if (text === undefined || text === '' || text.startsWith('-')) return null
    const value = flagValue(flag, text)
    if (value === undefined) return null
    flags[flag.name] = value
  }
  for (const name of given) {
    const exclusive = command.flags[name].exclusive ?? []
    if (exclusive.some((other) => given.has(other) || command.flags[other]?.default !== undefined)) return null
  }
  for (const flag of flagList) if (!given.has(flag.name) && flag.default !== undefined) flags[flag.name] = flag.default
  const argDefs = Object.values(command.args)
  if (command.strict !== false && positionals.length > argDefs.length) return null
  const args: Record<string, string> = {}
  for (const [i, def] of argDefs.entries()) {
    if (i < positionals.length) args[def.name] = positionals[i]
    else if (def.required) return null
  }
  return {args, argv: positionals, flags}
}

/** `--json` given (oclif's `jsonEnabled()` for a command line without `--`). */
export function jsonRequested(argv: readonly string[], command: ManifestCommand): boolean {
  return Boolean(command.enableJsonFlag) && argv.includes('--json')
}

function knownShape(command: ManifestCommand): boolean {
  const flagsKnown = Object.entries(command.flags).every(
    ([key, f]) =>
      key === f.name &&
      (f.type === 'boolean' || f.type === 'option') &&
      Object.entries(f).every(([k, v]) => KNOWN_FLAG_KEYS.has(k) || ((v === false || v === undefined) && k !== 'name')),
  )
  const argsKnown = Object.entries(command.args).every(
    ([key, a]) => key === a.name && Object.keys(a).every((k) => KNOWN_ARG_KEYS.has(k)),
  )
  return flagsKnown && argsKnown
}

/** The flag's value as oclif's parse function gives it, or undefined where oclif would refuse the text. */
function flagValue(flag: ManifestFlag, text: string): unknown {
  if (flag.options && !flag.options.includes(text)) return undefined
  const kind = flag.runlogValue
  if (kind?.kind === 'string') return text
  if (kind?.kind === 'integer') {
    if (!/^-?\d+$/.test(text)) return undefined
    const n = Number.parseInt(text, 10)
    if ((kind.min !== undefined && n < kind.min) || (kind.max !== undefined && n > kind.max)) return undefined
    return n
  }
  if (kind?.kind === 'custom') return CUSTOM_FLAG_VALUES[flag.name]?.(text)
  return undefined
}
