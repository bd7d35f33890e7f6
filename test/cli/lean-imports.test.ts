import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {describe, expect, it} from 'vitest'
import {runlog} from '../helpers/cli.js'
import {GRPO_RUN, GRPO_SAMPLE} from '../helpers/fixtures.js'

const tmp = mkdtempSync(join(tmpdir(), 'runlog-lean-imports-'))

// A module resolve hook (registered before bin/run.js) writes down every module the process imports.
const log = join(tmp, 'modules.log')
const hook = join(tmp, 'resolve-hook.mjs')
writeFileSync(
  hook,
  `import {appendFileSync} from 'node:fs'
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context)
  appendFileSync(${JSON.stringify(log)}, resolved.url + '\\n')
  return resolved
}
`,
)
const register = join(tmp, 'register-hook.mjs')
writeFileSync(register, `import {register} from 'node:module'\nregister(${JSON.stringify(pathToFileURL(hook).href)})\n`)

/** Whether the modules `args` loads include apache-arrow: by name, or bundled into one of dist's chunks. */
async function loadsArrow(args: string[]): Promise<boolean> {
  writeFileSync(log, '')
  const r = await runlog(args, {env: {NODE_OPTIONS: `--import=${pathToFileURL(register).href}`}})
  expect(r.status, r.stderr).toBe(0)
  const urls = [...new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean))]
  return urls.some(
    (url) =>
      url.includes('/apache-arrow/') ||
      (url.startsWith('file:') && readFileSync(fileURLToPath(url), 'utf8').includes('node_modules/apache-arrow/')),
  )
}

describe('what ls and history load', () => {
  it('ls and history --format jsonl read a run without loading apache-arrow; --format arrow loads it', async () => {
    expect(await loadsArrow(['ls', join(GRPO_SAMPLE, 'wandb')])).toBe(false)
    expect(await loadsArrow(['ls', join(GRPO_SAMPLE, 'wandb'), '--json'])).toBe(false)
    expect(await loadsArrow(['history', GRPO_RUN, '--format', 'jsonl'])).toBe(false)
    expect(await loadsArrow(['history', GRPO_RUN, '--format', 'csv'])).toBe(false)
    // the same check sees it where it is used
    const out = join(tmp, 'history.arrow')
    expect(await loadsArrow(['history', GRPO_RUN, '--format', 'arrow', '--output', out])).toBe(true)
  })
})
