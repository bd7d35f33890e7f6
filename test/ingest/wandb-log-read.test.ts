import {join} from 'node:path'
import {type Table, tableToIPC} from 'apache-arrow'
import {describe, expect, it} from 'vitest'
import {tableRefs, tableSampleParts} from '../../src/ingest/table-sample-parts.js'
import {readWandbLog} from '../../src/ingest/wandb-log-read.js'
import {readRun} from '../../src/readers/run/read-run.js'
import {GRPO_RUN} from '../helpers/fixtures.js'

const ipc = (parts: Table[]) => parts.map((p) => Buffer.from(tableToIPC(p)))

describe('a wandb log read for summarize', () => {
  it('with its Tables taken as they come: no media table, and the samples of the Tables the media table lists', () => {
    const parts: Table[] = []
    const warnings: string[] = []
    const read = readWandbLog(GRPO_RUN, {onTableSamples: (p) => parts.push(p), parseWorker: null}, undefined, warnings)
    read.tableReader!.finish()
    // The media table would check every Table file's presence, for nothing: the reader takes them from the history.
    expect(read.data.tables.media).toBeUndefined()
    expect(Object.keys(read.data.tables).sort()).toEqual(['history', 'runs', 'summary'])
    expect(read.tableReader!.files).toBe(33)
    const media = readRun(GRPO_RUN, {tables: ['media']}).tables.media!
    const whole = [...tableSampleParts(tableRefs(media), join(GRPO_RUN, 'files'), [])]
    // 33 files: one part either way
    expect(ipc(parts)).toEqual(ipc(whole))
    expect(warnings).toEqual([])
  })

  it('with no reader of its Tables, the media table lists them', () => {
    const read = readWandbLog(GRPO_RUN, {parseWorker: null}, undefined, [])
    expect(read.tableReader).toBeNull()
    expect(tableRefs(read.data.tables.media!)).toHaveLength(33)
  })
})
