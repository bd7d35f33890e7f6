import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {runlog} from './helpers/cli.js'
import {ROOT} from './helpers/fixtures.js'

/** The fenced block that follows `marker` in the README. */
function blockAfter(readme: string, marker: string): string {
  const at = readme.indexOf(marker)
  expect(at, marker).toBeGreaterThan(-1)
  const start = readme.indexOf('```text\n', at) + '```text\n'.length
  return readme.slice(start, readme.indexOf('```', start))
}

describe('README examples are real output', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {scripts: Record<string, string>}

  it('the demo block is what `npm run demo` prints', async () => {
    const args = pkg.scripts.demo.replace(/^node bin\/run\.js /, '').split(' ')
    const r = await runlog(args, {env: {COLUMNS: '200'}})
    expect(r.status).toBe(0)
    expect(blockAfter(readme, '`npm run demo` prints')).toBe(`${r.stdout}${r.stderr}`)
  })

  it('the efficiency example is what the command prints', async () => {
    const r = await runlog(['efficiency', 'test/fixtures/grpo-sample/wandb/offline-run-20251124_010713-ieqh524y', '--top', '3'])
    expect(blockAfter(readme, '### `runlog efficiency')).toBe(`$ runlog efficiency test/fixtures/grpo-sample/wandb/offline-run-20251124_010713-ieqh524y --top 3\n${r.stdout}`)
  })
})

/** A README command line (`$ runlog …`, single quotes allowed, optionally piped to `grep -A N 'RE'` or `head -N`). */
function parseCommand(line: string): {args: string[]; filter: (out: string) => string} {
  const [cmd, ...pipes] = line.slice('$ runlog '.length).split(' | ')
  const args = [...cmd.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2])
  const filter = (out: string): string => {
    let text = out
    for (const pipe of pipes) {
      const lines = text.split('\n')
      const grep = /^grep -A(\d+) '\^(.*)'$/.exec(pipe)
      const head = /^head -(\d+)$/.exec(pipe)
      if (grep) {
        const at = lines.findIndex((l) => l.startsWith(grep[2]))
        text = `${lines.slice(at, at + 1 + Number(grep[1])).join('\n')}\n`
      } else if (head) text = `${lines.slice(0, Number(head[1])).join('\n')}\n`
      else throw new Error(`unknown pipe in the README: ${pipe}`)
    }
    return text
  }
  return {args, filter}
}

describe('README: the three questions and runlog check', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
  const section = (from: string, to: string) => readme.slice(readme.indexOf(from), readme.indexOf(to, readme.indexOf(from)))
  const blocks = [
    ...section('## Three questions, answered', '## Commands').matchAll(/```text\n(\$ runlog [^\n]*)\n([\s\S]*?)```/g),
    ...section('### `runlog check', '### `runlog export').matchAll(/```text\n(\$ runlog [^\n]*)\n([\s\S]*?)```/g),
  ]

  it('has the examples', () => {
    expect(blocks.map((b) => b[1].split(' ')[2])).toEqual(['summarize', 'summarize', 'efficiency', 'check', 'check'])
  })

  for (const [, line, shown] of blocks) {
    it(line, async () => {
      const {args, filter} = parseCommand(line)
      const r = await runlog(args, {env: {COLUMNS: '200'}})
      expect(filter(`${r.stdout}${r.stderr}`)).toBe(shown)
    })
  }
})
