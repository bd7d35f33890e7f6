import {mkdtempSync, readFileSync, rmSync, symlinkSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll} from 'vitest'
import {type CliResult} from './cli.js'
import {ROOT} from './fixtures.js'
import {runlogInProcess} from './in-process-cli.js'

// The README's and docs' examples are real output: each `$ runlog …` line in a fenced block is run and its output
// compared. A block preceded by `<!-- example not executed: why -->` is shown only (its inputs are generated, or it
// needs a terminal); a line of `…` stands for lines left out.

/** Where an example that writes files (`--to DIR`) runs: a scratch folder holding a link to `test/`, shown as this. */
const SCRATCH_SHOWN = '/tmp/runlog-example'

export interface Example {
  file: string
  line: string
  env: Record<string, string>
  args: string[]
  pipes: string[]
  shown: string
}

/** The fenced blocks of `text` that start with a `$ ` line and are not marked as shown only. */
function blocks(text: string): string[] {
  const found: string[] = []
  for (const m of text.matchAll(/(^|\n)([^\n]*)\n+```(?:text|json|markdown)\n(\$ [\s\S]*?)```/g)) {
    if (!/<!-- example not executed: .+ -->/.test(m[2])) found.push(m[3])
  }
  return found
}

/** The examples of one Markdown file: each `$ ` line of a block, with the lines up to the next one as its output. */
export function examplesOf(file: string): Example[] {
  const text = readFileSync(join(ROOT, file), 'utf8')
  return blocks(text).flatMap((block) =>
    block
      .split(/^(?=\$ )/m)
      .filter(Boolean)
      .map((part) => {
        const [line, ...rest] = part.split('\n')
        const [cmd, ...pipes] = line.slice(2).split(' | ')
        const words = shellWords(cmd)
        const env: Record<string, string> = {COLUMNS: '200'}
        while (/^[A-Z_]+=/.test(words[0])) {
          const assignment = words.shift()!
          const at = assignment.indexOf('=')
          env[assignment.slice(0, at)] = assignment.slice(at + 1)
        }
        if (words.shift() !== 'runlog') throw new Error(`${file}: not a runlog command: ${line}`)
        return {file, line, env, args: words, pipes, shown: rest.join('\n')}
      }),
  )
}

/** The words a POSIX shell splits `line` into: quotes and backslashes removed, adjacent parts joined. */
export function shellWords(line: string): string[] {
  const words: string[] = []
  let word: string | undefined
  for (const m of line.matchAll(/'([^']*)'|"((?:[^"\\]|\\.)*)"|\\(.)|(\s+)|([^\s'"\\]+)|(.)/gs)) {
    const [, single, double, escaped, space, plain, stray] = m
    if (stray !== undefined) throw new Error(`unterminated quote in an example: ${line}`)
    if (space !== undefined) {
      if (word !== undefined) words.push(word)
      word = undefined
      continue
    }
    // Inside double quotes a backslash escapes only $ ` " \ and a newline.
    const part = double !== undefined ? double.replace(/\\([$`"\\\n])/g, '$1') : (single ?? escaped ?? plain)
    word = (word ?? '') + part
  }
  if (word !== undefined) words.push(word)
  return words
}

/** `out` after the example's pipes (`grep -AN '^RE'`, `head -N`, `tail -N`). */
export function piped(out: string, pipes: string[]): string {
  let text = out
  for (const pipe of pipes) {
    const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n')
    const grep = /^grep -A(\d+) '\^(.*)'$/.exec(pipe)
    const head = /^head -(\d+)$/.exec(pipe)
    const tail = /^tail -(\d+)$/.exec(pipe)
    if (grep) {
      const at = lines.findIndex((l) => l.startsWith(grep[2]))
      text = `${lines.slice(at, at + 1 + Number(grep[1])).join('\n')}\n`
    } else if (head) text = `${lines.slice(0, Number(head[1])).join('\n')}\n`
    else if (tail) text = `${lines.slice(-Number(tail[1])).join('\n')}\n`
    else throw new Error(`unknown pipe in an example: ${pipe}`)
  }
  return text
}

/** Whether `out` is what `shown` shows: line for line, a `…` line standing for any number of lines. */
export function matches(out: string, shown: string): boolean {
  const escape = (l: string) => l.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const pattern = shown
    .split('\n')
    .map((l, i, all) => (l.trim() === '…' ? '(?:[^\\n]*\\n)*?' : escape(l) + (i < all.length - 1 ? '\\n' : '')))
    .join('')
  return new RegExp(`^${pattern}$`).test(out)
}

const scratch: string[] = []
afterAll(() => {
  for (const dir of scratch) rmSync(dir, {recursive: true, force: true})
})

/** Runs `fn` in `dir`, a scratch folder holding a link to `test/`, and shows that folder as `SCRATCH_SHOWN`. */
async function inScratch(fn: (dir: string) => Promise<CliResult>): Promise<CliResult> {
  const dir = mkdtempSync(join(tmpdir(), 'runlog-readme-'))
  scratch.push(dir)
  symlinkSync(join(ROOT, 'test'), join(dir, 'test'))
  const r = await fn(dir)
  return {...r, stdout: r.stdout.replaceAll(dir, SCRATCH_SHOWN), stderr: r.stderr.replaceAll(dir, SCRATCH_SHOWN)}
}

/** Runs the example in this worker, as the built binary would (examples that write files run in a scratch folder). */
async function execute(example: Example): Promise<CliResult> {
  if (!example.args.includes('--to')) return runlogInProcess(example.args, {env: example.env})
  return inScratch((cwd) => runlogInProcess(example.args, {env: example.env, cwd}))
}

/** Each distinct command once, for the README's and the docs' tests alike (they share this module in a worker). */
const results = new Map<string, Promise<CliResult>>()
export function run(example: Example): Promise<CliResult> {
  const key = JSON.stringify([example.env, example.args])
  if (!results.has(key)) results.set(key, execute(example))
  return results.get(key)!
}
