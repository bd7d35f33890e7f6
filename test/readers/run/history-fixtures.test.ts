import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {historyJsonLine} from '../../../src/history/history-lines.js'
import {readRun} from '../../../src/readers/run/read-run.js'
import {CORPUS, HISTORY_EXPECTED, runsWithExpectedHistory} from '../../helpers/fixtures.js'

describe('history jsonl equals what wandb’s own reader implies, for all 50 real runs', () => {
  const names = runsWithExpectedHistory()
  it('has the 50 expected outputs', () => {
    expect(names).toHaveLength(50)
  })
  for (const name of names) {
    it(name, () => {
      const lines: string[] = []
      readRun(join(CORPUS, name), {tables: [], onHistory: (rec) => lines.push(historyJsonLine(rec, null)!)})
      const expected = readFileSync(join(HISTORY_EXPECTED, `${name}.history.jsonl`), 'utf8')
      expect(lines.map((l) => `${l}\n`).join('')).toBe(expected)
    })
  }
})
