import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {logBytes} from '../../src/ingest/log-bytes.js'

const dir = mkdtempSync(join(tmpdir(), 'runlog-log-bytes-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

describe('the size of a run’s log', () => {
  it('is the .wandb of a run directory, or the file given (a .wandb or a trainer log)', () => {
    const run = join(dir, 'offline-run-20250101_000000-abcd1234')
    mkdirSync(join(run, 'files'), {recursive: true})
    writeFileSync(join(run, 'run-abcd1234.wandb'), Buffer.alloc(1234))
    writeFileSync(join(run, 'files', 'output.log'), Buffer.alloc(99))
    writeFileSync(join(dir, 'train.log'), 'step 1\n')
    expect(logBytes(run)).toBe(1234)
    expect(logBytes(join(run, 'run-abcd1234.wandb'))).toBe(1234)
    expect(logBytes(join(dir, 'train.log'))).toBe(7)
  })

  it('is 0 when there is nothing to read: no such file, or a directory with no log', () => {
    const empty = join(dir, 'empty')
    mkdirSync(empty)
    expect(logBytes(join(dir, 'missing.wandb'))).toBe(0)
    expect(logBytes(empty)).toBe(0)
  })
})
