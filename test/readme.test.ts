import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {examplesOf, matches, piped, run, shellWords} from './helpers/examples.js'
import {ROOT} from './helpers/fixtures.js'

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
const examples = examplesOf('README.md')

describe('example command lines', () => {
  it('are split into words as a shell splits them', () => {
    expect(shellWords(`query r 'SELECT a, b' --x="it's \\"q\\"" a\\ b  'c'"d"e ''`)).toEqual([
      'query',
      'r',
      'SELECT a, b',
      `--x=it's "q"`,
      'a b',
      'cde',
      '',
    ])
    expect(() => shellWords(`query 'SELECT`)).toThrow(/unterminated quote/)
  })
})

describe('README examples are real output', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {scripts: Record<string, string>}

  it('the demo block is what `npm run demo` prints', async () => {
    const args = shellWords(pkg.scripts.demo.replace(/^node bin\/run\.js /, ''))
    const r = await run({file: 'package.json', line: '', env: {COLUMNS: '200'}, args, pipes: [], shown: ''})
    expect(r.status).toBe(0)
    const at = readme.indexOf('`npm run demo` prints')
    expect(at).toBeGreaterThan(-1)
    const start = readme.indexOf('```text\n', at) + '```text\n'.length
    expect(readme.slice(start, readme.indexOf('```', start))).toBe(`${r.stdout}${r.stderr}`)
  })

  it('shows an executed example of every command, and the three questions and check examples', () => {
    expect(new Set(examples.map((e) => e.args[0]))).toEqual(
      new Set(['ls', 'summarize', 'compare', 'efficiency', 'history', 'query', 'export', 'check']),
    )
    const section = (from: string, to: string) =>
      readme.slice(readme.indexOf(from), readme.indexOf(to, readme.indexOf(from)))
    const questions = [
      ...section('## Three questions, answered', '## Commands').matchAll(/```text\n(\$ runlog [^\n]*)\n/g),
      ...section('### `runlog check', '## Reference').matchAll(/```text\n(\$ runlog [^\n]*)\n/g),
    ]
    expect(questions.map((b) => b[1].split(' ')[2])).toEqual(['summarize', 'summarize', 'efficiency', 'check', 'check'])
  })

  for (const example of examples) {
    it(example.line, async () => {
      const r = await run(example)
      const out = piped(`${r.stdout}${r.stderr}`, example.pipes)
      if (!matches(out, example.shown)) expect(out).toBe(example.shown)
    })
  }
})
