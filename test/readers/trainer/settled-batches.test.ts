import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {TrainerParser} from '../../../src/readers/trainer/trainer-parser.js'
import type {SettledBatch, TrainerEvents} from '../../../src/readers/trainer/types.js'
import {HANDWRITTEN, LOGS, SAMPLE} from './helpers.js'

function lines(path: string): string[] {
  const all = readFileSync(path, 'utf8').split('\n')
  if (all[all.length - 1] === '') all.pop()
  return all
}

function wholeParse(input: string[]): TrainerEvents {
  const parser = new TrainerParser()
  for (const line of input) parser.push(line)
  return parser.finish()
}

/** Parses with settled events taken out every `every` lines; the batches, then what `finish` kept, in order. */
function parseTakingBatches(input: string[], every: number): {events: TrainerEvents; batches: SettledBatch[]} {
  const parser = new TrainerParser()
  const batches: SettledBatch[] = []
  input.forEach((line, i) => {
    parser.push(line)
    if ((i + 1) % every === 0) {
      const b = parser.takeSettled()
      if (b) batches.push(b)
    }
  })
  const rest = parser.finish()
  const events: TrainerEvents = {
    ...rest,
    samples: [...batches.flatMap((b) => b.samples), ...rest.samples],
    judgeEvents: [...batches.flatMap((b) => b.judgeEvents), ...rest.judgeEvents],
    apiCalls: [...batches.flatMap((b) => b.apiCalls), ...rest.apiCalls],
    stepTallies: [...batches.flatMap((b) => b.stepTallies), ...rest.stepTallies],
    collectorSummaries: [...batches.flatMap((b) => b.collectorSummaries), ...rest.collectorSummaries],
    stepMetrics: [...batches.flatMap((b) => b.stepMetrics), ...rest.stepMetrics],
  }
  return {events, batches}
}

const LOG_FILES = [
  join(LOGS, 'training_p28.log'),
  join(LOGS, 'training_p29.log'),
  join(LOGS, 'training_p30.log'),
  join(LOGS, 'trl-grpo__ton__evvobjd4_output.log'),
  join(LOGS, 'verl-ppo__dstack-configs__verl_demo.log'),
  join(HANDWRITTEN, 'grpo-noise.log'),
  join(HANDWRITTEN, 'roll-rlvr.log'),
  join(SAMPLE, 'train.log'),
]

describe('TrainerParser.takeSettled', () => {
  for (const file of LOG_FILES) {
    it(`gives the same events as one pass over ${file.split('/').pop()}, taken every line or every 500 lines`, () => {
      const input = lines(file)
      const whole = wholeParse(input)
      for (const every of [1, 500]) {
        const {events} = parseTakingBatches(input, every)
        expect(events).toEqual(whole)
      }
    })
  }

  it('takes most of a long GRPO log out while it is parsed, the steps before the previous one', () => {
    const input = lines(join(LOGS, 'training_p30.log'))
    const whole = wholeParse(input)
    const {batches, events} = parseTakingBatches(input, 200)
    expect(batches.length).toBeGreaterThan(5)
    const taken = batches.reduce((n, b) => n + b.samples.length, 0)
    expect(taken).toBeGreaterThan(whole.samples.length / 2)
    expect(batches.reduce((n, b) => n + b.collectorSummaries.length, 0)).toBeGreaterThan(
      whole.collectorSummaries.length / 2,
    )
    expect(events.samples.length).toBe(whole.samples.length)
    // a batch holds whole steps: no step has samples in two batches
    const batchOfStep = new Map<number | null, number>()
    batches.forEach((b, i) => {
      for (const s of b.samples) {
        expect(batchOfStep.get(s.step) ?? i).toBe(i)
        batchOfStep.set(s.step, i)
      }
    })
  })

  it('takes the step metrics of a verl log too', () => {
    const input = lines(join(LOGS, 'verl-ppo__dstack-configs__verl_demo.log'))
    const whole = wholeParse(input)
    const {batches} = parseTakingBatches(input, 100)
    expect(whole.stepMetrics.length).toBeGreaterThan(100)
    expect(batches.reduce((n, b) => n + b.stepMetrics.length, 0)).toBeGreaterThan(whole.stepMetrics.length / 2)
  })

  it('takes nothing before the first step, nor the step before the current one', () => {
    const parser = new TrainerParser()
    parser.push('HTTP Request: POST https://api.example.com/v1/chat/completions "HTTP/1.1 200 OK"')
    expect(parser.takeSettled()).toBeNull()
    const input = lines(join(LOGS, 'training_p30.log'))
    const whole = wholeParse(input)
    const steps = whole.steps.map((s) => s.step)
    const p = new TrainerParser()
    for (const line of input) p.push(line)
    const b = p.takeSettled()!
    const last = Math.max(...steps)
    for (const s of b.samples) expect(s.step === null || s.step < last - 1).toBe(true)
  })
})

describe('TrainerParser.takeSettled on a log whose step number goes back (a restarted training appending to it)', () => {
  const once = lines(join(LOGS, 'training_p30.log'))
  const restarted = [...once, ...once, ...once]

  it('gives the same events as one pass, taken every line or every 500 lines', () => {
    const whole = wholeParse(restarted)
    for (const every of [1, 500]) expect(parseTakingBatches(restarted, every).events).toEqual(whole)
  })

  it('still takes collector summaries out after each restart', () => {
    const {batches} = parseTakingBatches(restarted, 200)
    const lastLine = (b: SettledBatch) => Math.max(...b.collectorSummaries.map((r) => r.line))
    for (const pass of [1, 2]) {
      const later = batches.filter((b) => b.collectorSummaries.length > 0 && lastLine(b) > pass * once.length)
      expect(later.length).toBeGreaterThan(0)
    }
    const whole = wholeParse(restarted)
    const taken = batches.reduce((n, b) => n + b.collectorSummaries.length, 0)
    expect(taken).toBeGreaterThan((whole.collectorSummaries.length * 2) / 3)
  })
})
