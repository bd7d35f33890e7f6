import {describe, expect, it} from 'vitest'
import {runState} from '../../../src/readers/run/run-state.js'

describe('runState', () => {
  const now = Date.parse('2026-01-01T12:00:00Z')
  it('a log with no time in it is crashed, however fresh its mtime (a copy of a dead run gets a new one)', () => {
    expect(runState(null, now - 1000, null, now)).toBe('crashed')
  })
  it('a fresh log whose newest record is recent is running; an old one crashed; an exit record decides', () => {
    expect(runState(null, now - 1000, now - 10_000, now)).toBe('running')
    expect(runState(null, now - 1000, now - 3_600_000, now)).toBe('crashed')
    expect(runState(null, now - 600_000, now - 10_000, now)).toBe('crashed')
    expect(runState(0, now, null, now)).toBe('finished')
    expect(runState(2, now, null, now)).toBe('failed')
  })
})
