import {spawn} from 'node:child_process'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {FIXTURES, ROOT} from '../helpers/fixtures.js'

interface Measured {
  lines: number
  rows: Array<{option: string; what: string; cpuMs?: number; result?: string}>
}

/** bench/console-native.js --json on one log (a real process, awaited). */
function measure(log: string): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bench', 'console-native.js'), log, '--json'], {cwd: ROOT})
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (b: Buffer) => out.push(b))
    child.stderr.on('data', (b: Buffer) => err.push(b))
    child.on('error', reject)
    child.on('close', (status) => {
      if (status !== 0) reject(new Error(`exit ${status}: ${Buffer.concat(err).toString()}`))
      else resolve(JSON.parse(Buffer.concat(out).toString()) as Measured)
    })
  })
}

const result = (m: Measured, option: string, what: string) =>
  m.rows.find((r) => r.option === option && r.what.startsWith(what))?.result

describe('bench/console-native.js: the options it measures classify the same lines', () => {
  it('gates the same lines in JavaScript and in DuckDB, over a table of every line (logs without \\r)', async () => {
    const logs = [
      join(FIXTURES, 'grpo-sample', 'train.log'),
      join(FIXTURES, 'trainer-logs', 'verl-ppo__dstack-configs__verl_demo.log'),
    ]
    for (const log of logs) {
      const m = await measure(log)
      const js = result(m, 'js', 'split + marker gate')
      expect(js, log).toMatch(/^[1-9]\d* gated$/)
      expect(result(m, 'duckdb', 'marker gate'), log).toBe(js)
      expect(result(m, 'duckdb', 'read_csv'), log).toBe(`${m.lines} rows`)
      expect(result(m, 'js', 'whole parse'), log).toMatch(new RegExp(` ${m.lines} lines$`))
      const wasm = m.rows.find((r) => r.option === 'wasm')!
      // Measured only where an AssemblyScript compiler is installed; then it gates the same lines too.
      if (!wasm.what.startsWith('skipped')) expect(wasm.result, log).toBe(js)
    }
  })

  it('shows the line table splitting at a lone \\r, which the parser does not (a trap it names)', async () => {
    const m = await measure(join(FIXTURES, 'trainer-logs', 'trl-grpo__trl_DAPO__20251022_120531.log'))
    const rows = Number(result(m, 'duckdb', 'read_csv')!.split(' ')[0])
    expect(rows).toBeGreaterThan(m.lines)
  })
})
