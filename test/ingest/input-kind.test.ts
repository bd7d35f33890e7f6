import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {isWandbLog} from '../../src/ingest/input-kind.js'
import {logRunId} from '../../src/ingest/log-run-id.js'
import {uniqueRunId} from '../../src/ingest/unique-run-id.js'

const dir = mkdtempSync(join(tmpdir(), 'runlog-input-kind-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

describe('what kind of run an input is', () => {
  it('a directory or a .wandb file is a wandb run; any other file a trainer log; a missing path an input error', () => {
    writeFileSync(join(dir, 'run-x.wandb'), '')
    writeFileSync(join(dir, 'train.log'), '')
    expect(isWandbLog(dir)).toBe(true)
    expect(isWandbLog(join(dir, 'run-x.wandb'))).toBe(true)
    expect(isWandbLog(join(dir, 'train.log'))).toBe(false)
    expect(() => isWandbLog(join(dir, 'gone.log'))).toThrow(/gone\.log.*no such file or directory/)
  })
})

describe('run ids', () => {
  it('of a trainer log: its file name without .log, .txt or .out', () => {
    expect(logRunId('/x/training_p30.log')).toBe('training_p30')
    expect(logRunId('/x/run.txt')).toBe('run')
    expect(logRunId('/x/slurm-42.out')).toBe('slurm-42')
    expect(logRunId('/x/train.log.1')).toBe('train.log.1')
  })

  it('stay unique: a taken id gets the first free #n from 2', () => {
    expect(uniqueRunId('abc', new Set())).toBe('abc')
    expect(uniqueRunId('abc', new Set(['abc']))).toBe('abc#2')
    expect(uniqueRunId('abc', new Set(['abc', 'abc#2', 'abc#3']))).toBe('abc#4')
  })
})
