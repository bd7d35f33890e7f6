import {describe, expect, it} from 'vitest'
import {scanRecords} from '../../../src/readers/wandb/log-container.js'
import {dispatchRecord, skipsUnwanted} from '../../../src/readers/wandb/record-decoder.js'
import type {RecordVisitor} from '../../../src/readers/wandb/records.js'
import {findLogIn} from '../../../src/readers/run/locate-run.js'
import {encode} from '../../support/wandb-writer.js'
import {GRPO_RUN} from '../../helpers/fixtures.js'

describe('skipsUnwanted', () => {
  const output = encode.output('stdout', 'hello\n')
  const skip = (payload: Uint8Array, v: RecordVisitor) => skipsUnwanted(v)(payload, 0, payload.length)

  it('skips a record of a type the visitor has no callback for, never one it has', () => {
    expect(skip(output, {history: () => {}})).toBe(true)
    expect(skip(output, {output: () => {}})).toBe(false)
    expect(skip(output, {outputBytes: () => true})).toBe(false)
  })

  it('never skips a record that is not valid protobuf (dispatchRecord counts it)', () => {
    const cut = output.subarray(0, output.length - 2)
    expect(dispatchRecord(cut, {history: () => {}})).toBe(false)
    expect(skip(cut, {history: () => {}})).toBe(false)
    expect(skip(Uint8Array.of(0x0f), {})).toBe(false)
  })

  it('skips exactly the records dispatchRecord would pass over, in a real log', () => {
    const calls: string[] = []
    const visitor: RecordVisitor = {
      history: () => calls.push('h'),
      run: () => calls.push('r'),
      exit: () => calls.push('e'),
    }
    const check = skipsUnwanted(visitor)
    let skipped = 0
    let used = 0
    scanRecords(findLogIn(GRPO_RUN)!, (p) => {
      const before = calls.length
      const skips = check(p, 0, p.length)
      expect(dispatchRecord(p, visitor)).toBe(true)
      // A skipped record would have called nothing; one not skipped calls something.
      expect(calls.length === before).toBe(skips)
      if (skips) skipped++
      else used++
    })
    expect(skipped).toBeGreaterThan(0)
    expect(used).toBeGreaterThan(0)
  })

  it('scanRecords hands over every record not skipped (records over several chunks are never skipped), same damage', () => {
    const file = findLogIn(GRPO_RUN)!
    let all = 0
    const whole = scanRecords(file, () => all++)
    let kept = 0
    const visitor: RecordVisitor = {history: () => {}}
    const part = scanRecords(file, () => kept++, {skip: skipsUnwanted(visitor)})
    let wanted = 0
    scanRecords(file, (p) => {
      if (!skipsUnwanted(visitor)(p, 0, p.length)) wanted++
    })
    expect(kept).toBeGreaterThanOrEqual(wanted)
    expect(kept).toBeLessThan(all)
    expect(part.damage).toEqual(whole.damage)
    expect(part.endOffset).toBe(whole.endOffset)
  })
})
