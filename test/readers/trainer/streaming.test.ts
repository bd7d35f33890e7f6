import {closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {parseTrainerLogFile} from '../../../src/readers/trainer/trainer-parser.js'
import {LOGS} from './helpers.js'

const dir = mkdtempSync(join(tmpdir(), 'runlog-trainer-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

/** Writes `copies` copies of `chunk` to a new file; returns its path. */
function repeatInto(name: string, chunk: Buffer, copies: number): string {
  const path = join(dir, name)
  const fd = openSync(path, 'w')
  for (let i = 0; i < copies; i++) writeSync(fd, chunk)
  closeSync(fd)
  return path
}

async function peakHeapWhile<T>(fn: () => Promise<T>): Promise<{result: T; peak: number; base: number}> {
  const g = globalThis as {gc?: () => void}
  g.gc?.()
  const base = process.memoryUsage().heapUsed
  let peak = base
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed)
  }, 2)
  try {
    const result = await fn()
    peak = Math.max(peak, process.memoryUsage().heapUsed)
    return {result, peak, base}
  } finally {
    clearInterval(timer)
  }
}

describe('streaming', () => {
  it('parses a 100 MB log of model output and noise in bounded memory', async () => {
    // 1 MB of noise lines: model output, a progress bar with \r, CUDA warnings; plus one step every MB
    const noise: string[] = []
    let size = 0
    let k = 0
    while (size < 1 << 20) {
      const l =
        k % 3 === 0
          ? `    result_${k} = await self.custom(input=problem, instruction='') # $\\frac{${k}}{2}$ 判决 奖励 正确性`
          : k % 3 === 1
            ? `W0000 00:00:1764876080.394752  138162 computation_placer.cc:177] computation placer already registered ${k}`
            : `Loading checkpoint shards:  25%|##5       | 1/4 [00:01<00:03,  1.15s/it]\rLoading checkpoint shards:  50%|#####     | 2/4`
      noise.push(l)
      size += Buffer.byteLength(l) + 1
      k++
    }
    const chunk = Buffer.from(`📍 Step 1/100\n${noise.join('\n')}\n`)
    const path = repeatInto('noise-100mb.log', chunk, 100)
    expect(statSync(path).size).toBeGreaterThan(100 * (1 << 20))
    const {result, peak, base} = await peakHeapWhile(() => parseTrainerLogFile(path))
    expect(result.bytes).toBe(statSync(path).size)
    expect(result.lines).toBe(100 * (noise.length + 1))
    // the whole file as a string would be > 100 MB (200 MB as UTF-16); the parser's working set stays far below
    expect(peak - base).toBeLessThan(64 * (1 << 20))
  })

  it('parses 100 MB of real trainer output (p30 repeated) in seconds with every event', async () => {
    const p30 = readFileSync(join(LOGS, 'training_p30.log'))
    const copies = Math.ceil((100 * (1 << 20)) / p30.length)
    const path = repeatInto('p30x.log', p30, copies)
    // CPU time, not wall time: the bound must hold on a machine busy with other work too.
    const t0 = process.cpuUsage()
    const e = await parseTrainerLogFile(path)
    const used = process.cpuUsage(t0)
    const ms = (used.user + used.system) / 1000
    expect(e.lines).toBe(39858 * copies)
    expect(e.apiCalls.length).toBe(2403 * copies)
    expect(e.samples.length).toBe(570 * copies)
    expect(e.stepTallies.length).toBe(235 * copies)
    expect(ms).toBeLessThan(15_000)
  })
})
