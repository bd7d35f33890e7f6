import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {IncrementalLog} from '../../../src/readers/run/incremental-log.js'
import {WandbWriter} from '../../support/wandb-writer.js'

const root = mkdtempSync(join(tmpdir(), 'runlog-incremental-'))
afterAll(() => rmSync(root, {recursive: true, force: true}))

/** A whole log's bytes: a header, a run record and `rows` history records. */
function logBytes(rows: number): Buffer {
  const file = join(root, `whole-${rows}.wandb`)
  const w = WandbWriter.open(file)
  w.header('0.19.0')
  w.run({runId: 'grow0001'})
  for (let i = 0; i < rows; i++) w.history(i, {loss: 1 / (i + 1), text: 'x'.repeat(500)})
  w.close()
  return readFileSync(file)
}

describe('IncrementalLog', () => {
  it('reads only what the log gained; a record cut at the last scan is read whole by the next, not lost', () => {
    const dir = join(root, 'growing')
    mkdirSync(dir)
    const logFile = join(dir, 'run-grow0001.wandb')
    const whole = logBytes(200)
    const cut = Math.floor(whole.length / 2) + 3
    writeFileSync(logFile, whole.subarray(0, cut))
    const log = new IncrementalLog({dir, logFile})
    let records = 0
    expect(log.scan(() => records++)).toBe(cut)
    const first = records
    expect(first).toBeGreaterThan(1)
    expect(first).toBeLessThan(202)
    writeFileSync(logFile, whole)
    // Counted from the end of the last whole record read: the cut record (~530 bytes) is read again.
    const gained = log.scan(() => records++)
    expect(gained).toBeGreaterThan(whole.length - cut)
    expect(gained).toBeLessThan(whole.length - cut + 1024)
    expect(records).toBe(202)
    expect(log.size).toBe(whole.length)
    expect(log.report()).toMatchObject({unreadableBytes: 0, droppedRecords: 0})
    expect(log.scan(() => records++)).toBe(0)
    expect(records).toBe(202)
  })

  it('adds the records that were not valid protobuf to the report', () => {
    const dir = join(root, 'undecodable')
    mkdirSync(dir)
    const logFile = join(dir, 'run-grow0001.wandb')
    writeFileSync(logFile, logBytes(3))
    const log = new IncrementalLog({dir, logFile})
    log.scan(() => {})
    log.undecodable = 2
    const report = log.report()
    expect(report.droppedRecords).toBe(2)
    expect(report.problems).toContain('2 record(s) passed their checksum but are not valid protobuf')
  })

  it('an empty log in a run directory is read as empty, with no damage', () => {
    const dir = join(root, 'empty')
    mkdirSync(dir)
    const logFile = join(dir, 'run-empty001.wandb')
    writeFileSync(logFile, '')
    const log = new IncrementalLog({dir, logFile})
    expect(log.scan(() => {})).toBe(0)
    expect(log.empty).toBe(true)
    expect(log.report()).toMatchObject({unreadableBytes: 0, droppedRecords: 0, problems: []})
  })
})
