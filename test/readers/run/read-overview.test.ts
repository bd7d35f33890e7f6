import {mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {readRunOverview} from '../../../src/readers/run/read-overview.js'
import {readRun} from '../../../src/readers/run/read-run.js'
import {RunReader} from '../../../src/readers/run/run-reader.js'
import {locateRun} from '../../../src/readers/run/locate-run.js'
import type {RunOverviewData} from '../../../src/readers/run/run-data.js'
import type {HistoryRecord} from '../../../src/readers/wandb/records.js'
import {CORPUS, GRPO_RUN} from '../../helpers/fixtures.js'

const NOW = Date.parse('2030-01-01T00:00:00Z')

/**
 * What `ls` shows (no history callback) and `history` streams (a callback, so history items are decoded): the same
 * with no table kit as with the tables `ls` and `history` used to ask for.
 */
function expectSameAsReadRun(path: string): void {
  expectSame(readRun(path, {tables: ['runs'], nowMs: NOW}), readRunOverview(path, {nowMs: NOW}))
  const history: HistoryRecord[] = []
  const fromTables = readRun(path, {tables: [], nowMs: NOW, onHistory: () => {}})
  expectSame(fromTables, readRunOverview(path, {nowMs: NOW, onHistory: (r) => history.push(r)}))
  expect(history.length).toBe(fromTables.overview.history_rows)
}

function expectSame(fromTables: RunOverviewData, lean: RunOverviewData): void {
  expect(lean.overview).toEqual(fromTables.overview)
  expect(lean.warnings).toEqual(fromTables.warnings)
  expect(lean.damage).toEqual(fromTables.damage)
  expect([...lean.summary]).toEqual([...fromTables.summary])
  expect(lean.location).toEqual(fromTables.location)
}

describe('readRunOverview (a read with no Arrow tables)', () => {
  const folders = readdirSync(CORPUS).filter((n) => statSync(join(CORPUS, n)).isDirectory())

  it('gives what readRun gives on every corpus run and the GRPO sample', () => {
    for (const folder of folders) expectSameAsReadRun(join(CORPUS, folder))
    expectSameAsReadRun(GRPO_RUN)
  })

  it('gives what readRun gives on a damaged copy', () => {
    const dir = mkdtempSync(join(tmpdir(), 'runlog-read-overview-'))
    const log = readdirSync(GRPO_RUN).find((f) => f.endsWith('.wandb'))!
    const bytes = readFileSync(join(GRPO_RUN, log))
    for (const at of [100, bytes.length >> 1, bytes.length - 40]) bytes[at] ^= 0x5a
    const copy = join(dir, log)
    writeFileSync(copy, bytes)
    const damaged = readRunOverview(copy, {nowMs: NOW})
    expect(damaged.overview.unreadable_bytes).toBeGreaterThan(0)
    expectSameAsReadRun(copy)
  })

  it('a reader with no table kit refuses tables rather than leaving them out', () => {
    expect(() => new RunReader(locateRun(GRPO_RUN), {tables: ['history']}, null)).toThrow(/table kit/)
    expect(() => new RunReader(locateRun(GRPO_RUN), {}, null)).toThrow(/table kit/)
    const reader = new RunReader(locateRun(GRPO_RUN), {tables: []}, null)
    reader.update()
    expect(() => reader.data({final: true})).toThrow(/table kit/)
  })
})
