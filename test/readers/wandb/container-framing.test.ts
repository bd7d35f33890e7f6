/** Block framing: the wandb-core 0.17.0–0.17.5 bug is detected and refused; real files never trip the check. */
import {readFileSync, writeFileSync} from 'node:fs'
import {basename, dirname, join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {InputError} from '../../../src/errors.js'
import {scanRecords} from '../../../src/readers/wandb/log-container.js'
import {type WandbWriterOptions, WandbWriter} from '../../support/wandb-writer.js'
import {
  BLOCK,
  CORPUS,
  cleanupTempDirs,
  corpusFiles,
  historySteps,
  readBack,
  readBackUnchanged,
  tempDir,
  walkIntact,
} from '../../support/container-checks.js'

afterAll(cleanupTempDirs)

const BUG = /wandb-core 0\.17\.0–0\.17\.5 with a block-framing bug.*wandb itself cannot read/

/** A run of `steps` history rows with some console output, as the given framing writes it. */
function writeRun(file: string, steps: number, options: WandbWriterOptions = {}): string {
  const w = WandbWriter.open(file, options)
  w.header('0.17.3+deadbeef')
  w.run({runId: 'fr4m1ng', project: 'p', startTime: 1718000000})
  for (let i = 0; i < steps; i++) {
    w.history(i, {_step: i, 'train/loss': 1 / (i + 1), note: 'n'.repeat((i * 37) % 300)})
    w.output('stdout', `📍 Step ${i}/${steps}\n`.repeat(1 + (i % 5)))
    if (i % 40 === 39) w.output('stdout', 'x'.repeat(40_000))
  }
  w.exit(0, 60)
  w.close()
  return file
}

function thrown(fn: () => unknown): unknown {
  try {
    fn()
  } catch (e) {
    return e
  }
  return undefined
}

describe('wandb-core 0.17.0–0.17.5 block framing', () => {
  const dir = tempDir()
  const bug = writeRun(join(dir, 'bug.wandb'), 300, {framing: 'wandb-core-0.17-bug'})
  const good = writeRun(join(dir, 'good.wandb'), 300)
  const bugBytes = readFileSync(bug)

  it('the writer option really shifts the blocks by the 7-byte header', () => {
    expect(bugBytes.length).toBeGreaterThan(5 * BLOCK)
    // The shifted walk reads every record; the standard walk does not.
    const shifted = walkIntact(bugBytes, 7)
    const standard = walkIntact(readFileSync(good))
    expect(shifted.records.map((r) => r.payload.toString('hex'))).toEqual(
      standard.records.map((r) => r.payload.toString('hex')),
    )
    expect(shifted.chunks.some((c) => c.start < BLOCK && c.end > BLOCK)).toBe(true)
  })

  it('is refused with an InputError naming the bug, before any record is handed out', () => {
    let records = 0
    const error = thrown(() => scanRecords(bug, () => records++))
    expect(error).toBeInstanceOf(InputError)
    expect((error as InputError).message).toMatch(BUG)
    expect(records).toBe(0)
  })

  it('is refused when such a file was also cut short (killed run)', () => {
    const cut = join(dir, 'bug-cut.wandb')
    writeFileSync(cut, bugBytes.subarray(0, 3 * BLOCK + 1234))
    expect((thrown(() => scanRecords(cut, () => {})) as Error).message).toMatch(BUG)
    const cutInBlock1 = join(dir, 'bug-cut1.wandb')
    writeFileSync(cutInBlock1, bugBytes.subarray(0, BLOCK + 5000))
    expect((thrown(() => scanRecords(cutInBlock1, () => {})) as Error).message).toMatch(BUG)
  })

  it('a file that fits in its first block is the same either way, and reads', () => {
    const small = writeRun(join(dir, 'bug-small.wandb'), 20, {framing: 'wandb-core-0.17-bug'})
    const smallGood = writeRun(join(dir, 'good-small.wandb'), 20)
    expect(readFileSync(small).length).toBeLessThan(BLOCK - 7)
    expect(readFileSync(small).equals(readFileSync(smallGood))).toBe(true)
    expect(readBack(small).steps).toEqual([...Array(20).keys()])
  })

  it('a standard file with a corrupt chunk at the first block boundary is read as damaged, not as the bug', () => {
    const bytes = readFileSync(good)
    const chunks = walkIntact(bytes).chunks
    for (const at of [chunks.find((c) => c.start === BLOCK)!, chunks.filter((c) => c.end <= BLOCK).at(-1)!]) {
      const copy = Buffer.from(bytes)
      copy[at.start + 7 + Math.floor((at.end - at.start - 7) / 2)] ^= 0xff
      const file = join(dir, `good-corrupt-${at.start}.wandb`)
      writeFileSync(file, copy)
      const r = readBackUnchanged(file)
      expect(r.scan.damage.droppedRecords).toBeGreaterThan(0)
      expect(r.steps.length).toBeGreaterThan(250)
    }
  })

  it('a standard file with garbage from the first block boundary on is read as damaged, not as the bug', () => {
    const bytes = Buffer.from(readFileSync(good))
    bytes.fill(0x41, BLOCK, 2 * BLOCK)
    const file = join(dir, 'good-garbage.wandb')
    writeFileSync(file, bytes)
    const r = readBackUnchanged(file)
    expect(r.scan.damage.unreadableBytes).toBeGreaterThan(0)
  })
})

describe('the real runs', () => {
  const files = corpusFiles()

  it('has all 197 of them', () => {
    expect(files.length).toBe(197)
  })

  it('none trips the framing check; every record decodes', () => {
    for (const file of files) {
      const r = readBack(file)
      expect(r.undecodable, file).toBe(0)
      // (One real run is the 7-byte header alone.)
      if (r.scan.bytes > 7) expect(r.payloads.length, file).toBeGreaterThan(0)
      // Whatever damage a real file has is at its end: nothing is lost before the last complete record.
      expect(r.scan.damage.unreadableBytes + r.scan.damage.zeroTailBytes, file).toBe(r.scan.bytes - r.scan.endOffset)
    }
  })

  it('their history steps match the expected history files', () => {
    const expectedDir = join(CORPUS, '..', 'history-expected')
    let compared = 0
    for (const file of files) {
      const name = basename(dirname(file))
      let expectedText: string
      try {
        expectedText = readFileSync(join(expectedDir, `${name}.history.jsonl`), 'utf8')
      } catch {
        continue
      }
      const expectedSteps = expectedText
        .split('\n')
        .filter(Boolean)
        .map((line) => Number(/"_step": (-?\d+)/.exec(line)?.[1]))
      const r = readBack(file)
      const steps = r.decoded
        .filter((d) => d.kind === 'history')
        .map((d) => {
          const h = d.value as {step: number; items: {key: string; valueJson: string}[]}
          const item = h.items.filter((i) => i.key === '_step').at(-1)
          return item ? Number(item.valueJson) : h.step
        })
      expect(steps, name).toEqual(expectedSteps)
      compared++
    }
    expect(compared).toBe(50)
  })

  it('historySteps of the independent walk agree with the reader on clean files', () => {
    const file = files.find((f) => f.includes('m84hjf9m'))!
    expect(historySteps(walkIntact(readFileSync(file)).records)).toEqual(readBack(file).steps)
  })
})
