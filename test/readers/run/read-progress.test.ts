import {statSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {findLogIn} from '../../../src/readers/run/locate-run.js'
import {readRun} from '../../../src/readers/run/read-run.js'
import {parseTrainerLogFile} from '../../../src/readers/trainer/trainer-parser.js'
import {FIXTURES, GRPO_RUN} from '../../helpers/fixtures.js'

describe('progress of reading a log', () => {
  it('readRun reports the bytes of the .wandb read so far, up to its size', () => {
    const calls: Array<[number, number]> = []
    readRun(GRPO_RUN, {tables: ['history'], onProgress: (read, size) => calls.push([read, size])})
    const size = statSync(findLogIn(GRPO_RUN)!).size
    expect(calls.length).toBeGreaterThan(0)
    expect(calls.at(-1)).toEqual([size, size])
    for (let i = 1; i < calls.length; i++) expect(calls[i][0]).toBeGreaterThan(calls[i - 1][0])
  })

  it('parseTrainerLogFile reports the bytes of the log read so far, up to its size', async () => {
    const log = join(FIXTURES, 'trainer-logs', 'training_p30.log')
    const calls: Array<[number, number]> = []
    await parseTrainerLogFile(log, {onProgress: (read, size) => calls.push([read, size])})
    const size = statSync(log).size
    expect(calls.at(-1)).toEqual([size, size])
    expect(calls.length).toBe(Math.ceil(size / 2 ** 20))
  })
})
