import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {scanRecords} from '../../../src/readers/wandb/log-container.js'
import {dispatchRecord} from '../../../src/readers/wandb/record-decoder.js'
import {ConsoleAssembler} from '../../../src/readers/wandb/console-lines.js'

export const FIXTURES = join(fileURLToPath(new URL('.', import.meta.url)), '../../fixtures')
export const LOGS = join(FIXTURES, 'trainer-logs')
export const SAMPLE = join(FIXTURES, 'grpo-sample')
export const RUN_DIR = join(SAMPLE, 'wandb/offline-run-20251124_010713-ieqh524y')
export const RUN_FILE = join(RUN_DIR, 'run-ieqh524y.wandb')
export const HANDWRITTEN = join(LOGS, 'handwritten')

/** The raw lines of a text file (split on `\n` only), for independent counting in tests. */
export function rawLines(path: string): string[] {
  const text = readFileSync(path, 'utf8')
  const lines = text.split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  return lines
}

export function countMatching(lines: string[], re: RegExp): number {
  let n = 0
  for (const l of lines) if (re.test(l)) n++
  return n
}

/** The stdout console of a .wandb file, reassembled into lines, and its table-file history refs. */
export function readRun(file: string): {stdout: string[]; tableRefs: Array<{step: number; key: string; path: string}>} {
  const stdout: string[] = []
  const tableRefs: Array<{step: number; key: string; path: string}> = []
  const asm = new ConsoleAssembler((l) => {
    if (l.stream === 'stdout') stdout.push(l.text)
  })
  scanRecords(file, (payload) =>
    dispatchRecord(payload, {
      output(r) {
        asm.push(r.stream, r.text, r.timestamp)
      },
      history(h) {
        let step = h.step
        for (const it of h.items) if (it.key === '_step') step = Number(it.valueJson)
        for (const it of h.items) {
          if (!it.valueJson.includes('"table-file"')) continue
          const v = JSON.parse(it.valueJson) as {_type: string; path: string}
          if (v._type === 'table-file') tableRefs.push({step, key: it.key, path: v.path})
        }
      },
    }),
  )
  asm.flush()
  return {stdout, tableRefs}
}

export function groupBy<T>(rows: T[], key: (r: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>()
  for (const r of rows) {
    const k = key(r)
    let l = m.get(k)
    if (!l) m.set(k, (l = []))
    l.push(r)
  }
  return m
}
