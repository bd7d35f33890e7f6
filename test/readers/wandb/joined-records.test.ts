/** Records split over blocks are joined in one reused buffer: each is handed over whole and exact, big or small. */
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {scanRecords} from '../../../src/readers/wandb/log-container.js'
import {WandbWriter, type RecordSpan} from '../../support/wandb-writer.js'
import {BLOCK, cleanupTempDirs, tempDir} from '../../support/container-checks.js'

afterAll(cleanupTempDirs)

/** Payload `i` of `size` bytes, each byte depending on both, so a mixed-up join shows. */
function payload(i: number, size: number): Uint8Array {
  const p = new Uint8Array(size)
  for (let k = 0; k < size; k++) p[k] = (i * 131 + k * 7 + (k >> 9)) & 0xff
  return p
}

// Small, block-spanning, bigger than the join room (64 KiB) and small again, so the buffer grows and is let go.
const SIZES = [100, 40_000, 90_000, 3_000, 33_000, 300_000, 20, 70_000, 65_536, 65_529, 50_000, 10]

function writeLog(file: string): {payloads: Uint8Array[]; spans: RecordSpan[]} {
  const w = WandbWriter.open(file)
  const payloads = SIZES.map((size, i) => payload(i, size))
  const spans = payloads.map((p) => w.writeRawRecord(p))
  w.close()
  return {payloads, spans}
}

function scanCopies(file: string): {records: Uint8Array[]; scan: ReturnType<typeof scanRecords>} {
  const records: Uint8Array[] = []
  const scan = scanRecords(file, (p) => records.push(Uint8Array.from(p)))
  return {records, scan}
}

describe('records split over blocks', () => {
  it('are handed over exactly, each whole, whatever their size and order', () => {
    const file = join(tempDir(), 'joined.wandb')
    const {payloads, spans} = writeLog(file)
    expect(spans.filter((s) => s.chunks > 2).length).toBeGreaterThan(3)
    const {records, scan} = scanCopies(file)
    expect(scan.damage.unreadableBytes).toBe(0)
    expect(records.length).toBe(payloads.length)
    records.forEach((r, i) => expect(Buffer.from(r).equals(Buffer.from(payloads[i])), `record ${i}`).toBe(true))
  })

  it('a damaged chunk in a joined record loses that record only; the next ones are exact', () => {
    const file = join(tempDir(), 'joined-damaged.wandb')
    const {payloads, spans} = writeLog(file)
    for (const victim of [2, 5]) {
      const bytes = readFileSync(file)
      // A byte in the victim's second block: its FIRST chunk was joined already.
      const at = (Math.floor(spans[victim].start / BLOCK) + 1) * BLOCK + 100
      expect(at).toBeLessThan(spans[victim].end)
      bytes[at] ^= 0xff
      const damaged = join(tempDir(), `damaged-${victim}.wandb`)
      writeFileSync(damaged, bytes)
      const {records, scan} = scanCopies(damaged)
      expect(scan.damage.droppedRecords).toBeGreaterThan(0)
      const expected = payloads.filter((_, i) => i !== victim)
      expect(records.length).toBe(expected.length)
      records.forEach((r, i) => expect(Buffer.from(r).equals(Buffer.from(expected[i])), `record ${i}`).toBe(true))
    }
  })
})
