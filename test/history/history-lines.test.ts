import {describe, expect, it} from 'vitest'
import {historyJsonLine, writeHistoryJsonLine} from '../../src/history/history-lines.js'
import {keyFilter} from '../../src/history/key-filter.js'
import type {HistoryRecord} from '../../src/readers/wandb/records.js'

const rec = (step: number, items: Array<[string, string]>): HistoryRecord => ({
  step,
  items: items.map(([key, valueJson]) => ({key, valueJson})),
})

describe('a history jsonl line', () => {
  it('as json.dumps writes the row: a repeated key keeps its first place and last value; keys escaped', () => {
    const r = rec(2, [
      ['loss', '0.5'],
      ['名前 "x"', '"v"'],
      ['loss', '1.50'],
      ['nan', 'NaN'],
    ])
    const want = '{"loss": 1.5, "\\u540d\\u524d \\"x\\"": "v", "nan": "NaN", "_step": 2}'
    expect(historyJsonLine(r, null)).toBe(want)
    // the same keys again (their written form remembered) give the same text
    expect(historyJsonLine(r, null)).toBe(want)
    expect(
      historyJsonLine(
        rec(3, [
          ['_step', '3'],
          ['a', '1'],
        ]),
        null,
      ),
    ).toBe('{"_step": 3, "a": 1}')
  })

  it('a row of more keys than are remembered still finds its repeated key, and so does the row after it', () => {
    const keys = Array.from({length: 70_000}, (_, i) => `k${i}`)
    const items: Array<[string, string]> = [...keys.map((k): [string, string] => [k, '1']), ['k0', '2']]
    const line = historyJsonLine(rec(1, items), null)!
    expect(line.startsWith('{"k0": 2, "k1": 1, ')).toBe(true)
    expect(line.endsWith('"k69999": 1, "_step": 1}')).toBe(true)
    expect(
      historyJsonLine(
        rec(2, [
          ['k1', '3'],
          ['k2', '4'],
          ['k1', '5'],
        ]),
        null,
      ),
    ).toBe('{"k1": 5, "k2": 4, "_step": 2}')
  })

  it('--keys: only the kept keys, _step always; no line when nothing but _step is left', () => {
    const keep = keyFilter('train/*')!
    const r = rec(5, [
      ['train/loss', '0.25'],
      ['val/loss', '0.5'],
      ['train/acc', '1'],
    ])
    expect(historyJsonLine(r, keep)).toBe('{"train/loss": 0.25, "train/acc": 1, "_step": 5}')
    expect(historyJsonLine(rec(6, [['val/loss', '0.5']]), keep)).toBeNull()
  })

  it('a huge string value is written in slices, never as one piece; the pieces make the whole line', () => {
    const big = 'é'.repeat(1_100_000)
    const pieces: string[] = []
    const r = rec(1, [
      ['a', '1'],
      ['text', JSON.stringify(big)],
      ['b', 'true'],
    ])
    expect(writeHistoryJsonLine(r, null, (t) => pieces.push(t))).toBe(true)
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(1_000_000)
    const line = pieces.join('')
    expect(line.startsWith('{"a": 1, "text": "\\u00e9\\u00e9')).toBe(true)
    expect(line.endsWith('\\u00e9", "b": true, "_step": 1}')).toBe(true)
    expect(JSON.parse(line)).toEqual({a: 1, text: big, b: true, _step: 1})
  })
})
