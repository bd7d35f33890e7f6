import {readdirSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {readRun} from '../../../src/readers/run/read-run.js'
import {CORPUS, sourceRows} from '../../helpers/fixtures.js'

describe('the 197 real runs of the corpus', () => {
  const folders = readdirSync(CORPUS).filter((n) => statSync(join(CORPUS, n)).isDirectory())
  const sources = new Map(sourceRows().map((r) => [r.folder, r]))

  it('are all described by a provenance row', () => {
    expect(folders.length).toBe(197)
    expect(folders.filter((f) => !sources.has(f))).toEqual([])
  })

  for (const folder of folders) {
    it(`${folder}: reads cleanly with the right state, exit code and history count`, () => {
      const src = sources.get(folder)!
      const data = readRun(join(CORPUS, folder))
      expect(data.overview.exit_code).toBe(src.exit)
      const expectedState = src.exit === null ? 'crashed' : src.exit === 0 ? 'finished' : 'failed'
      expect(data.overview.state).toBe(expectedState)
      expect(data.overview.history_rows).toBe(src.historyRecords)
      expect(data.tables.history!.numRows).toBeGreaterThanOrEqual(src.historyRecords)
    })
  }
})
