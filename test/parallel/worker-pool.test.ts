import {afterEach, describe, expect, it} from 'vitest'
import {threadCount, worthParallel, worthPipeline} from '../../src/parallel/worker-pool.js'

describe('how many threads', () => {
  const saved = {threads: process.env.RUNLOG_THREADS, min: process.env.RUNLOG_PARALLEL_MIN_BYTES}
  afterEach(() => {
    for (const [k, v] of [
      ['RUNLOG_THREADS', saved.threads],
      ['RUNLOG_PARALLEL_MIN_BYTES', saved.min],
    ] as const) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
  })

  it('uses every core for enough work, capped by RUNLOG_THREADS', () => {
    delete process.env.RUNLOG_THREADS
    expect(threadCount(10, 2)).toBe(2)
    expect(threadCount(1, 2)).toBe(1)
    process.env.RUNLOG_THREADS = '1'
    expect(threadCount(10, 2)).toBe(1)
  })

  it('starts workers only above the size threshold (RUNLOG_PARALLEL_MIN_BYTES overrides it)', () => {
    delete process.env.RUNLOG_PARALLEL_MIN_BYTES
    expect(worthParallel(10, 100)).toBe(false)
    expect(worthParallel(100, 100)).toBe(true)
    process.env.RUNLOG_PARALLEL_MIN_BYTES = '0'
    expect(worthParallel(10, 100)).toBe(true)
  })

  it('pipelines one big input on a second thread, unless RUNLOG_THREADS=1 or there is one core', () => {
    delete process.env.RUNLOG_THREADS
    delete process.env.RUNLOG_PARALLEL_MIN_BYTES
    expect(worthPipeline(200, 100, 2)).toBe(true)
    expect(worthPipeline(50, 100, 2)).toBe(false)
    expect(worthPipeline(200, 100, 1)).toBe(false)
    process.env.RUNLOG_THREADS = '1'
    expect(worthPipeline(200, 100, 2)).toBe(false)
  })
})
