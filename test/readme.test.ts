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
