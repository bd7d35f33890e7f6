import {cpSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {type Table, tableToIPC} from 'apache-arrow'
import {afterEach, describe, expect, it} from 'vitest'
import {readRun} from '../../../src/readers/run/read-run.js'
import {trainerTable} from '../../../src/readers/trainer/trainer-tables.js'
import {TableSampleReader, tableFileRefs} from '../../../src/readers/trainer/wandb-table-parts.js'
import {type TableFileRef, samplesFromWandbTables} from '../../../src/readers/trainer/wandb-table-samples.js'
import type {HistoryRecord} from '../../../src/readers/wandb/records.js'
import {GRPO_RUN} from '../../helpers/fixtures.js'

const FILES = join(GRPO_RUN, 'files')

/** The sample's Table files, in the order its history logs them. */
function sampleRefs(): TableFileRef[] {
  const refs: TableFileRef[] = []
  readRun(GRPO_RUN, {tables: [], onHistory: (rec) => refs.push(...tableFileRefs(rec))})
  return refs
}

/** Every row of the parts, as plain objects. */
const rowsOf = (parts: Table[]) => parts.flatMap((t) => t.toArray().map((r) => ({...r.toJSON()})))

const temps: string[] = []
afterEach(() => {
  for (const t of temps.splice(0)) rmSync(t, {recursive: true, force: true})
})

describe('tableFileRefs', () => {
  it('lists the table-file values of a history record, not other media nor plain values', () => {
    const rec: HistoryRecord = {
      step: 7,
      items: [
        {key: 'train/loss', valueJson: '0.5'},
        {
          key: 'samples',
          valueJson: '{"_type": "table-file", "path": "media/table/samples_7_ab.table.json", "ncols": 3}',
        },
        {key: 'chart', valueJson: '{"_type": "image-file", "path": "media/images/chart_7.png"}'},
        {key: 'odd', valueJson: '{"_type": "table-file"}'},
        {key: 'val_samples', valueJson: '{"_type":"table-file","path":"media/table/val_samples_7_cd.table.json"}'},
      ],
    }
    expect(tableFileRefs(rec)).toEqual([
      {step: 7, key: 'samples', path: 'media/table/samples_7_ab.table.json'},
      {step: 7, key: 'val_samples', path: 'media/table/val_samples_7_cd.table.json'},
    ])
  })

  it('finds every Table the GRPO sample logs', () => {
    const refs = sampleRefs()
    expect(refs).toHaveLength(33)
    expect(refs[0]).toMatchObject({key: 'samples', step: expect.any(Number)})
    expect(refs.filter((r) => r.key === 'val_samples').length).toBeGreaterThan(0)
  })
})

describe('TableSampleReader', () => {
  it('reads one file per call and hands on a part every `filesPerPart` files, the rows of all the files in order', () => {
    const refs = sampleRefs()
    const parts: Table[] = []
    const reader = new TableSampleReader(FILES, (p) => parts.push(p), [], 5)
    expect(reader.readOne()).toBe(false)
    for (const ref of refs.slice(0, 12)) reader.add(ref)
    for (let i = 0; i < 12; i++) expect(reader.readOne()).toBe(true)
    expect(reader.readOne()).toBe(false)
    // 12 files read: two parts of 5 files handed on, 2 files waiting for more
    expect(parts).toHaveLength(2)
    for (const ref of refs.slice(12)) reader.add(ref)
    expect(reader.files).toBe(33)
    reader.finish()
    expect(parts).toHaveLength(7)
    const whole = samplesFromWandbTables(refs, FILES).samples
    expect(parts.reduce((n, p) => n + p.numRows, 0)).toBe(whole.length)
    const got = rowsOf(parts)
    expect(got.map((r) => [Number(r.step), r.split, r.sample_id, Number(r.line)])).toEqual(
      whole.map((s) => [s.step, s.split, s.sample_id, s.line]),
    )
    expect(got.map((r) => r.correctness)).toEqual(whole.map((s) => s.correctness))
  })

  it('warns of missing and broken files in the order of their references, and goes on', () => {
    const dir = mkdtempSync(join(tmpdir(), 'runlog-table-parts-'))
    temps.push(dir)
    cpSync(FILES, join(dir, 'files'), {recursive: true})
    const refs = sampleRefs()
    rmSync(join(dir, 'files', refs[1].path))
    const warnings: string[] = ['earlier warning']
    const parts: Table[] = []
    const reader = new TableSampleReader(join(dir, 'files'), (p) => parts.push(p), warnings)
    for (const ref of [...refs.slice(0, 3), {step: 99, key: 'samples', path: 'media/table/nope.table.json'}])
      reader.add(ref)
    reader.finish()
    // Each names its file in full: in `summarize --all` the warning is the only line saying which run it is about.
    const files = join(dir, 'files')
    expect(warnings).toEqual([
      'earlier warning',
      `samples table of step ${refs[1].step}: ${join(files, refs[1].path)} is missing`,
      `samples table of step 99: ${join(files, 'media/table/nope.table.json')} is missing`,
    ])
    expect(parts).toHaveLength(1)
    expect(parts[0].numRows).toBe(samplesFromWandbTables([refs[0], refs[2]], FILES).samples.length)
  })

  it('each part is, byte for byte, the samples table trainerTable builds from the rows of its files', () => {
    const refs = sampleRefs()
    const parts: Table[] = []
    const reader = new TableSampleReader(FILES, (p) => parts.push(p), [], 10)
    for (const ref of refs) reader.add(ref)
    reader.finish()
    expect(parts).toHaveLength(4)
    parts.forEach((part, i) => {
      const rows = samplesFromWandbTables(refs.slice(10 * i, 10 * i + 10), FILES).samples
      expect(Buffer.from(tableToIPC(part))).toEqual(Buffer.from(tableToIPC(trainerTable('samples', rows))))
    })
  })

  it('hands on nothing when the files hold no samples', () => {
    const parts: Table[] = []
    const reader = new TableSampleReader(FILES, (p) => parts.push(p))
    reader.add({step: 1, key: 'samples', path: 'media/table/none.table.json'})
    reader.finish()
    expect(parts).toEqual([])
  })
})
