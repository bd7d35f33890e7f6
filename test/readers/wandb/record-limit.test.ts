import {mkdtempSync, rmSync, statSync, truncateSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, afterEach, beforeEach, describe, expect, it} from 'vitest'
import {readRun} from '../../../src/readers/run/read-run.js'
import {scanRecords} from '../../../src/readers/wandb/log-container.js'
import {type RecordSpan, WandbWriter} from '../../support/wandb-writer.js'

const dir = mkdtempSync(join(tmpdir(), 'runlog-record-limit-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

const LIMIT = 1 << 20
beforeEach(() => {
  process.env.RUNLOG_MAX_RECORD_BYTES = String(LIMIT)
})
afterEach(() => {
  delete process.env.RUNLOG_MAX_RECORD_BYTES
})

/** A run with history at steps 0 and 2 around a history record at step 1 holding a string of `bigChars`. */
function runWithBigRecord(name: string, bigChars: number): {file: string; big: RecordSpan} {
  const file = join(dir, `run-${name}.wandb`)
  const w = WandbWriter.open(file)
  w.header('0.19.0')
  w.run({runId: name, project: 'p'})
  w.history(0, {loss: 1})
  const value = JSON.stringify('x'.repeat(bigChars))
  const big = w.history(1, [
    {key: 'big', valueJson: value},
    {key: 'loss', valueJson: '2'},
  ])
  w.history(2, {loss: 3})
  w.exit(0, 10)
  w.close()
  return {file, big}
}

describe('records over the record size limit', () => {
  it('skips a 3 MB record spread over blocks without joining it, counts its bytes, keeps the records after it', () => {
    const {file, big} = runWithBigRecord('big', 3 << 20)
    expect(big.chunks).toBeGreaterThan(90)
    let records = 0
    const scan = scanRecords(file, () => records++)
    // header, run, 2 history records, exit
    expect(records).toBe(5)
    expect(scan.damage.oversizedRecords).toBe(1)
    expect(scan.damage.firstOversizedAt).toBe(big.start)
    // Chunk headers and payloads of the record (block padding is not its data).
    expect(scan.damage.oversizedBytes).toBeGreaterThan(3 << 20)
    expect(scan.damage.oversizedBytes).toBeLessThanOrEqual(big.end - big.start)
    expect(scan.damage.unreadableBytes).toBe(0)
    expect(scan.endOffset).toBe(statSync(file).size)

    const run = readRun(file, {tables: ['history']})
    const steps = run.tables.history!.getChild('step')!.toArray() as BigInt64Array
    expect([...steps].map(Number)).toEqual([0, 2])
    expect(run.overview.unreadable_bytes).toBe(scan.damage.oversizedBytes)
    const warning = run.warnings.find((w) => w.includes('record limit'))
    expect(warning).toContain(`${file}: 1 record(s) larger than the 1,048,576-byte record limit skipped`)
    const bytes = scan.damage.oversizedBytes.toLocaleString('en-US')
    expect(warning).toContain(`${bytes} byte(s), first at byte ${big.start}`)
  })

  it('reads a record just under the limit', () => {
    const {file} = runWithBigRecord('under', LIMIT - 1000)
    const run = readRun(file, {tables: ['history']})
    expect(run.overview.history_rows).toBe(3)
    expect(run.damage.oversizedRecords).toBe(0)
    expect(run.warnings).toEqual([])
  })

  it('counts an oversized record cut short by the end of the file as unreadable, not as a record', () => {
    const {file, big} = runWithBigRecord('cut', 3 << 20)
    truncateSync(file, big.start + (2 << 20))
    const scan = scanRecords(file, () => {})
    expect(scan.damage.oversizedRecords).toBe(0)
    expect(scan.damage.droppedRecords).toBe(1)
    expect(scan.damage.unreadableBytes).toBe(2 << 20)
    expect(scan.endOffset).toBe(big.start)
  })
})
