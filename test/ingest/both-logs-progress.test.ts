import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {bothLogsProgress} from '../../src/ingest/both-logs-progress.js'

const dir = mkdtempSync(join(tmpdir(), 'runlog-both-logs-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

describe('the progress of a run and its stdout log', () => {
  it('counts the run’s log, then the stdout log after it, against the bytes of both', () => {
    const stdout = join(dir, 'train.log')
    writeFileSync(stdout, Buffer.alloc(50))
    const calls: Array<[number, number]> = []
    const progress = bothLogsProgress((read, size) => calls.push([read, size]), stdout)
    progress.run!(40, 100)
    progress.run!(100, 100)
    progress.stdout!(20, 50)
    progress.stdout!(50, 50)
    expect(calls).toEqual([
      [40, 150],
      [100, 150],
      [120, 150],
      [150, 150],
    ])
  })

  it('without a stdout log, the run’s log alone; without a listener, nothing to call', () => {
    const calls: Array<[number, number]> = []
    bothLogsProgress((read, size) => calls.push([read, size]), undefined).run!(3, 9)
    expect(calls).toEqual([[3, 9]])
    expect(bothLogsProgress(undefined, join(dir, 'train.log'))).toEqual({})
  })
})
