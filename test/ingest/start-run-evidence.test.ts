import {statSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {startRunEvidence} from '../../src/ingest/start-run-evidence.js'
import {findLogIn} from '../../src/readers/run/locate-run.js'
import {GRPO_RUN, GRPO_SAMPLE} from '../helpers/fixtures.js'

const TRAIN_LOG = join(GRPO_SAMPLE, 'train.log')

/** The progress a run's evidence reports: calls made while its log is read, then while the rest is. */
async function progressOf(run: string, stdout?: string) {
  const calls: Array<[number, number]> = []
  const started = await startRunEvidence(run, {stdout, onProgress: (read, size) => calls.push([read, size])})
  const whileLog = calls.length
  await started.rest()
  return {calls, whileLog}
}

describe('the progress of reading a run', () => {
  it('with a stdout log, counts the bytes of both logs against their sum: the run’s log, then the stdout log', async () => {
    const wandb = statSync(findLogIn(GRPO_RUN)!).size
    const log = statSync(TRAIN_LOG).size
    const {calls, whileLog} = await progressOf(GRPO_RUN, TRAIN_LOG)
    expect(calls.every(([, size]) => size === wandb + log)).toBe(true)
    // the run's log read: its bytes, of both
    expect(calls[whileLog - 1]).toEqual([wandb, wandb + log])
    // then the stdout log, to the end
    expect(calls.length).toBeGreaterThan(whileLog)
    expect(calls.at(-1)).toEqual([wandb + log, wandb + log])
    for (let i = 1; i < calls.length; i++) expect(calls[i][0]).toBeGreaterThanOrEqual(calls[i - 1][0])
  })

  it('without one, the run’s log alone; a trainer log given as the run, itself', async () => {
    const wandb = statSync(findLogIn(GRPO_RUN)!).size
    const run = await progressOf(GRPO_RUN)
    expect(run.calls.at(-1)).toEqual([wandb, wandb])
    expect(run.calls.length).toBe(run.whileLog)
    const log = statSync(TRAIN_LOG).size
    const trainer = await progressOf(TRAIN_LOG)
    expect(trainer.calls.at(-1)).toEqual([log, log])
  })
})
