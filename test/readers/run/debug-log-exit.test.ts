import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {exitCodeFromDebugLog} from '../../../src/readers/run/debug-log-exit.js'

const dir = mkdtempSync(join(tmpdir(), 'runlog-debug-log-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

function runWithLog(name: string, text: string): string {
  const run = join(dir, name)
  mkdirSync(join(run, 'logs'), {recursive: true})
  writeFileSync(join(run, 'logs', 'debug-internal.log'), text)
  return run
}

describe('the exit code in logs/debug-internal.log', () => {
  it('is read a chunk at a time: the last message wins, also when a chunk boundary cuts it', () => {
    const noise = (n: number) =>
      `${'{"level":"DEBUG","msg":"filestream: sending"}\n'.repeat(Math.ceil(n / 46))}`.slice(0, n)
    const first = '{"msg":"filestream","exit_code":0}\n'
    const last = '{"msg":"filestream","exit_code":  137}\n'
    // The last message straddles the 1 MiB boundary between two reads.
    const before = noise(3 << 20)
    const text = first + before.slice(0, (1 << 20) - first.length - 10) + last + noise(2 << 20)
    expect(exitCodeFromDebugLog(runWithLog('cut', text))).toBe(137)
    expect(exitCodeFromDebugLog(runWithLog('none', noise(1 << 20)))).toBe(null)
    expect(exitCodeFromDebugLog(join(dir, 'missing'))).toBe(null)
  })
})
