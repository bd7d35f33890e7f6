import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {Flags, Parser} from '@oclif/core'
import {describe, expect, it} from 'vitest'
import {type ManifestCommand, parseArgv} from '../../src/cli/fast-argv.js'
import History from '../../src/commands/history.js'
import Ls from '../../src/commands/ls.js'
import Summarize from '../../src/commands/summarize.js'
import {ROOT} from '../helpers/fixtures.js'

// The manifest `npm run build` writes (with the value kinds scripts/write-manifest.js adds): what bin/run.js reads.
const manifest = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8')) as {
  commands: Record<string, ManifestCommand>
}
const COMMANDS = {ls: Ls, history: History, summarize: Summarize}
type Id = keyof typeof COMMANDS

/** What oclif's parser gives the command (as `this.parse` in the command does, `--json` included). */
async function oclifParse(id: Id, argv: string[]) {
  const command = COMMANDS[id]
  const json = command.enableJsonFlag ? {json: Flags.boolean({description: 'Format output as json.'})} : {}
  // The parser reads its context only for flags that ask for it (help, version): none here.
  const options = {flags: {...command.flags, ...json}, args: command.args, strict: command.strict, context: {}}
  const parsed = await Parser.parse(argv, options as unknown as Parameters<typeof Parser.parse>[1])
  const {args, argv: positionals, flags} = parsed
  return {args, argv: positionals, flags}
}

const ACCEPTED: Array<[Id, string[]]> = [
  ['ls', []],
  ['ls', ['runs']],
  ['ls', ['a', 'b', 'c', '--json']],
  ['ls', ['--format', 'csv', 'a']],
  ['ls', ['--format=md', '--wide', 'a']],
  ['history', ['run-x.wandb']],
  ['history', ['run', '--format', 'jsonl']],
  ['history', ['--keys', 'train/*,val/*', 'run', '--format=csv', '-o', 'out.csv', '--wide']],
  ['history', ['run', '--output=h.parquet', '--format', 'parquet']],
  ['summarize', []],
  ['summarize', ['run', '--json']],
  ['summarize', ['--json', 'run', '--stdout', 'train.log', '--format', 'md']],
  ['summarize', ['run', '-f', '--interval', '2']],
  ['summarize', ['runs', '--all', '--wide', '--db', 'x.duckdb']],
  ['summarize', ['run', '--metrics', 'all', '--chart', 'c.svg']],
  ['summarize', ['run', '--metrics=12', '--judge-threshold', '0.5', '--window=3']],
  ['summarize', ['run', '--judge-threshold', '2']],
  ['summarize', ['run', '--judge-threshold', 'x']],
]

const REFUSED: Array<[Id, string[], string]> = [
  ['ls', ['--help'], 'help'],
  ['ls', ['-h'], 'a short help flag'],
  ['ls', ['--nope'], 'an unknown flag'],
  ['ls', ['--format', 'json'], 'a value not among the options'],
  ['ls', ['--format'], 'a missing value'],
  ['ls', ['--format='], 'an empty value'],
  ['ls', ['--wide', '--wide'], 'a repeated flag'],
  ['ls', ['--wide=true'], 'a boolean flag with a value'],
  ['ls', ['--', 'dir'], '--'],
  ['ls', ['-'], 'a lone dash'],
  ['ls', ['--no-wide'], 'a negated flag that allows no negation'],
  ['ls', ['--constructor'], "a name of Object's prototype"],
  ['history', [], 'a missing required arg'],
  ['history', ['a', 'b'], 'a second arg of a strict command'],
  ['history', ['run', '--json'], 'a flag of another command'],
  ['history', ['run', '--output', '-'], 'a value that starts with a dash'],
  ['history', ['run', '-ofile'], 'a short flag joined to its value'],
  ['summarize', ['run', '--interval', '0'], 'an integer under its minimum'],
  ['summarize', ['run', '--interval', '1.5'], 'not an integer'],
  ['summarize', ['run', '--metrics', '0'], "a value the flag's own parser refuses"],
  ['summarize', ['run', '--all', '--follow'], 'exclusive flags'],
  ['summarize', ['run', '-fx'], 'short flags run together'],
]

describe('parseArgv (the fast path reads oclif.manifest.json)', () => {
  it.each(ACCEPTED)('%s %j: the args, argv and flags oclif parses', async (id, argv) => {
    const parsed = parseArgv(argv, manifest.commands[id])
    expect(parsed).not.toBeNull()
    expect(parsed).toEqual(await oclifParse(id, argv))
  })

  it.each(REFUSED)('%s %j: left to oclif (%s)', (id, argv) => {
    expect(parseArgv(argv, manifest.commands[id])).toBeNull()
  })

  it('leaves to oclif a command whose flags use a feature it does not know (env, dependsOn, multiple, …)', () => {
    const ls = manifest.commands.ls
    const flag = (extra: object) => ({...ls, flags: {...ls.flags, format: {...ls.flags.format, ...extra}}})
    expect(parseArgv(['a'], ls)).not.toBeNull()
    for (const extra of [{env: 'LS_FORMAT'}, {dependsOn: ['wide']}, {multiple: true}, {hasDynamicHelp: true}])
      expect(parseArgv(['a'], flag(extra)), JSON.stringify(extra)).toBeNull()
    // an option flag without the value kind write-manifest.js adds: oclif parses it
    expect(parseArgv(['a', '--format', 'md'], flag({runlogValue: undefined}))).toBeNull()
    expect(parseArgv(['a'], {...ls, args: {dir: {...ls.args.dir, default: 'wandb'}}})).toBeNull()
  })
})
