import {describe, expect, it} from 'vitest'
import {ParseContext} from '../../../src/readers/trainer/context.js'
import {runEnd} from '../../../src/readers/trainer/run-ending.js'

const error = (line: number) => ({type: 'RuntimeError', message: 'CUDA out of memory', line})

describe('runEnd', () => {
  it('an exception after the last trainer output failed the run', () => {
    const ctx = new ParseContext('stdout')
    ctx.lastEventLine = 10
    ctx.lastError = error(12)
    expect(runEnd(ctx)).toEqual({state: 'failed', error: error(12)})
  })

  it('trainer output after the exception means it did not end the run', () => {
    const ctx = new ParseContext('stdout')
    ctx.lastEventLine = 20
    ctx.lastError = error(12)
    expect(runEnd(ctx)).toEqual({state: null, error: null})
  })

  it('finished: an end-of-training line, or the last of N/M steps complete', () => {
    const ctx = new ParseContext('stdout')
    ctx.finishedLine = 30
    ctx.lastError = error(12)
    expect(runEnd(ctx).state).toBe('finished')
    const steps = new ParseContext('stdout')
    steps.stepRow(3, 'grpo-workflow', 3).complete = true
    expect(runEnd(steps).state).toBe('finished')
    const partway = new ParseContext('stdout')
    partway.stepRow(2, 'grpo-workflow', 3).complete = true
    expect(runEnd(partway).state).toBe(null)
  })
})
