import {existsSync, readFileSync, readdirSync} from 'node:fs'
import {dirname, join} from 'node:path'
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

/** GitHub's anchors of a Markdown file's headings. */
function anchors(file: string): Set<string> {
  const text = readFileSync(file, 'utf8')
  const slug = (h: string) =>
    h
      .trim()
      .toLowerCase()
      .replace(/[^\w\- ]/g, '')
      .replaceAll(' ', '-')
  return new Set([...text.matchAll(/^#+ (.*)$/gm)].map((m) => slug(m[1])))
}

describe('docs links', () => {
  it('every relative link of the README and docs names a file and a heading that exist', () => {
    for (const file of ['README.md', ...files]) {
      for (const [, link] of readFileSync(join(ROOT, file), 'utf8').matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^https?:/.test(link)) continue
        const [path, anchor] = link.split('#')
        const target = path ? join(ROOT, dirname(file), path) : join(ROOT, file)
        expect(existsSync(target), `${file}: ${link}`).toBe(true)
        if (anchor && target.endsWith('.md')) expect(anchors(target), `${file}: ${link}`).toContain(anchor)
      }
    }
  })
})

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
