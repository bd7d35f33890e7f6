import {describe, expect, it} from 'vitest'
import {dispatchRecord} from '../../../src/readers/wandb/record-decoder.js'
import type {SummaryRecord} from '../../../src/readers/wandb/records.js'
import {encode} from '../../support/wandb-writer.js'

describe('summary records', () => {
  const record = encode.summary(
    [
      {key: '_runtime', valueJson: '12.5'},
      {key: 'loss', valueJson: '0.25'},
      {key: '_step', valueJson: '3'},
      {nestedKey: ['_wandb', 'runtime'], valueJson: '12'},
      {key: '_wandb', valueJson: '{"runtime": 12}'},
      {key: 'ümlaut', valueJson: '1'},
    ],
    ['_runtime', 'loss'],
  )
  const decode = (keys?: ReadonlySet<string>) => {
    let got: SummaryRecord | null = null
    expect(dispatchRecord(record, {summary: (s) => (got = s), summaryKeys: keys})).toBe(true)
    return got!
  }

  it('decodes every item by default', () => {
    const s = decode()
    expect(s.update.map((u) => u.key)).toEqual(['_runtime', 'loss', '_step', '_wandb.runtime', '_wandb', 'ümlaut'])
    expect(s.remove).toEqual(['_runtime', 'loss'])
  })

  it('with summaryKeys, keeps only those keys (same values), updates and removals alike', () => {
    const s = decode(new Set(['_wandb', '_runtime']))
    expect(s.update).toEqual([
      {key: '_runtime', valueJson: '12.5'},
      {key: '_wandb', valueJson: '{"runtime": 12}'},
    ])
    expect(s.remove).toEqual(['_runtime'])
    expect(decode(new Set(['ümlaut'])).update).toEqual([{key: 'ümlaut', valueJson: '1'}])
  })
})
