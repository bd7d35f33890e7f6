import {mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'
import {modulesLoaded} from '../helpers/module-trace.js'
import {GRPO_RUN, GRPO_SAMPLE} from '../helpers/fixtures.js'

const tmp = mkdtempSync(join(tmpdir(), 'runlog-lean-imports-'))

/** Whether the modules `args` loads include apache-arrow: by name, or bundled into one of dist's chunks. */
async function loadsArrow(args: string[]): Promise<boolean> {
  const urls = [...new Set((await modulesLoaded(args)).split('\n').filter(Boolean))]
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
