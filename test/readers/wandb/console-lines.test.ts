import {describe, expect, it} from 'vitest'
import {ConsoleAssembler, type ConsoleLine, applyCarriageReturns} from '../../../src/readers/wandb/console-lines.js'

describe('console reassembly', () => {
  it('joins fragments per stream and splits on newlines', () => {
    const lines: ConsoleLine[] = []
    const a = new ConsoleAssembler((l) => lines.push(l))
    a.push('stdout', 'Step 1', 10)
    a.push('stderr', 'warn: x\n', 11)
    a.push('stdout', '/500\nloss', 12)
    a.push('stdout', '\n', 13)
    a.push('stdout', 'tail without newline', 14)
    a.flush()
    expect(lines.filter((l) => l.stream === 'stdout').map((l) => [l.lineNo, l.text, l.timestamp])).toEqual([
      [0, 'Step 1/500', 10],
      [1, 'loss', 12],
      [2, 'tail without newline', 14],
    ])
    expect(lines.filter((l) => l.stream === 'stderr').map((l) => l.text)).toEqual(['warn: x'])
  })
  it('applies carriage-return overwrites like a terminal', () => {
    expect(applyCarriageReturns(' 10%|█   |\r 50%|██  |\r100%|████|')).toBe('100%|████|')
    expect(applyCarriageReturns('abcdef\rXY')).toBe('XYcdef')
    expect(applyCarriageReturns('done\r')).toBe('done')
    const lines: string[] = []
    const a = new ConsoleAssembler((l) => lines.push(l.text))
    a.push('stderr', ' 10%\r', null)
    a.push('stderr', ' 90%\r100%\r\n', null)
    a.flush()
    expect(lines).toEqual(['100%'])
  })
})
