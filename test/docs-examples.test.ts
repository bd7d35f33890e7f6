import {readdirSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {examplesOf, matches, piped, run} from './helpers/examples.js'
import {ROOT} from './helpers/fixtures.js'

// The reference in docs/ shows real output too: every example not marked as shown only is run and compared.
const files = readdirSync(join(ROOT, 'docs'))
  .filter((f) => f.endsWith('.md'))
  .map((f) => `docs/${f}`)
// An example the README shows too, with the same output, is run by readme.test.ts.
const inReadme = new Set(examplesOf('README.md').map((e) => `${e.line}\n${e.shown}`))
const examples = files.flatMap(examplesOf).filter((e) => !inReadme.has(`${e.line}\n${e.shown}`))

describe('docs examples are real output', () => {
  it('has the examples', () => {
    expect(examples.length).toBeGreaterThanOrEqual(12)
  })

  for (const example of examples) {
    it(`${example.file}: ${example.line}`, async () => {
      const r = await run(example)
      const out = piped(`${r.stdout}${r.stderr}`, example.pipes)
      if (!matches(out, example.shown)) expect(out).toBe(example.shown)
    })
  }
})
