import {existsSync, mkdtempSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {makeDirectory} from '../../src/render/make-directory.js'
import {GRPO_RUN} from '../helpers/fixtures.js'
import {runlog} from '../helpers/cli.js'

describe('makeDirectory', () => {
  it('makes every missing level, and accepts a folder that exists', () => {
    const dir = mkdtempSync(join(tmpdir(), 'runlog-mkdir-'))
    makeDirectory(join(dir, 'a', 'b', 'c'))
    expect(statSync(join(dir, 'a', 'b', 'c')).isDirectory()).toBe(true)
    makeDirectory(join(dir, 'a', 'b', 'c'))
  })

  it('refuses a path through a file, and one under /proc, at once (recursive mkdirSync spins there)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'runlog-mkdir-'))
    writeFileSync(join(dir, 'file'), '')
    expect(() => makeDirectory(join(dir, 'file', 'x'))).toThrow(/not a directory/)
    if (existsSync('/proc/self')) expect(() => makeDirectory('/proc/runlog-x/y')).toThrow(/ENOENT/)
  })

  it('export --to and --chart under /proc end in one line instead of spinning', async () => {
    if (!existsSync('/proc/self')) return
    const exported = await runlog(['export', GRPO_RUN, '--to', '/proc/runlog-x'])
    expect(exported.status).toBe(1)
    expect(exported.stderr.trim().split('\n')).toHaveLength(1)
    const chart = await runlog(['summarize', GRPO_RUN, '--chart', '/proc/runlog-x/c.svg'])
    expect(chart.status).toBe(1)
    expect(chart.stderr).toContain('/proc/runlog-x')
  })
})
