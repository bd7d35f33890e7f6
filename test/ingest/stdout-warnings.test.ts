import {describe, expect, it} from 'vitest'
import {clip, groupedWarnings} from '../../src/ingest/stdout-warnings.js'
import type {WarningRow} from '../../src/readers/trainer/types.js'

const warning = (kind: string, message: string, line: number | null = null): WarningRow => ({
  step: null,
  kind,
  message,
  origin: 'stdout',
  line,
})

describe('stdout warnings, grouped by kind', () => {
  it('a kind seen once is its message; a repeated kind is counted, with its first occurrence', () => {
    const list = [
      warning('orphan_line', 'a line outside any step', 12),
      warning('tally_mismatch', 'step 3: 7 of 8', 40),
      warning('tally_mismatch', 'step 9: 6 of 8', 90),
    ]
    expect(groupedWarnings(list)).toEqual([
      'a line outside any step',
      '2 stdout warnings of kind tally_mismatch (first at line 40: step 3: 7 of 8)',
    ])
  })

  it('tracebacks are counted by exception type when there are several types, most frequent first', () => {
    const list = [
      warning('traceback', 'TypeError: bad operand', 5),
      warning('traceback', 'ValueError: no', 8),
      warning('traceback', 'ValueError: again', 9),
    ]
    expect(groupedWarnings(list)).toEqual([
      '3 Python traceback(s) in stdout: 2 ValueError, 1 TypeError (first at line 5: TypeError: bad operand)',
    ])
    expect(groupedWarnings([warning('traceback', 'KeyError: x')])).toEqual([
      '1 Python traceback(s) in stdout (first: KeyError: x)',
    ])
  })

  it('wandb’s own ERROR/WARNING lines are left to the warnings table', () => {
    expect(groupedWarnings([warning('wandb', 'wandb: WARNING something')])).toEqual([])
  })
})

describe('clip', () => {
  it('keeps at most 200 characters, the last an ellipsis', () => {
    expect(clip('x'.repeat(200))).toBe('x'.repeat(200))
    const clipped = clip('y'.repeat(400))
    expect(clipped).toHaveLength(200)
    expect(clipped.endsWith('y…')).toBe(true)
  })
})
