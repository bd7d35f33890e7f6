import {readFileSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {BATCH_ROWS} from '../src/arrow/table-builder.js'
import {InputError} from '../src/errors.js'
import * as settings from '../src/settings.js'
import {ROOT} from './helpers/fixtures.js'

const names = (text: string) => [...new Set(text.match(/RUNLOG_[A-Z_]+/g))].sort()
const declared = settings.SETTINGS.map((s) => s.name).sort()

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  )
}

describe('settings', () => {
  afterEach(() => {
    for (const name of declared) delete process.env[name]
  })

  it('docs/settings.md documents exactly the variables src/settings.ts declares, with their defaults', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'settings.md'), 'utf8')
    expect(names(doc)).toEqual(declared)
    for (const s of settings.SETTINGS) expect(doc).toContain(`| \`${s.name}\` | ${s.default} |`)
  })

  it('every RUNLOG_ variable named in src is declared, and only src/settings.ts reads one from the environment', () => {
    for (const file of sourceFiles(join(ROOT, 'src'))) {
      const text = readFileSync(file, 'utf8')
      for (const name of names(text)) expect(declared, `${file} names ${name}`).toContain(name)
      if (!file.endsWith(join('src', 'settings.ts'))) expect(text, file).not.toMatch(/process\.env(\.RUNLOG_|\[)/)
    }
  })

  it('declares the defaults the code uses', () => {
    expect(settings.SETTINGS.find((s) => s.name === 'RUNLOG_HISTORY_BATCH_ROWS')!.default).toBe(String(BATCH_ROWS))
    expect(settings.maxLineBytes()).toBe(settings.DEFAULT_MAX_LINE_BYTES)
    expect(settings.maxRecordBytes()).toBe(settings.DEFAULT_MAX_RECORD_BYTES)
    expect(settings.duckdbMemory()).toBe('128MB')
    expect(settings.threads()).toBeUndefined()
    expect(settings.parallelMinBytes()).toBeUndefined()
    expect(settings.settleRows()).toBe(100_000)
    expect(settings.historyBatchRows()).toBeUndefined()
    expect(settings.debug()).toBe(false)
  })

  it('reads a set value, and keeps a size bound when the value is bad', () => {
    process.env.RUNLOG_MAX_LINE_BYTES = '1024'
    expect(settings.maxLineBytes()).toBe(1024)
    for (const bad of ['0', '-5', '1.5', 'lots']) {
      process.env.RUNLOG_MAX_RECORD_BYTES = bad
      expect(settings.maxRecordBytes()).toBe(settings.DEFAULT_MAX_RECORD_BYTES)
    }
    process.env.RUNLOG_DUCKDB_MEMORY = ' 2GB '
    expect(settings.duckdbMemory()).toBe('2GB')
    process.env.RUNLOG_DUCKDB_MEMORY = 'lots'
    expect(() => settings.duckdbMemory()).toThrow(InputError)
    expect(settings.duckdbMemoryShown()).toBe('lots')
    process.env.RUNLOG_THREADS = '3'
    process.env.RUNLOG_PARALLEL_MIN_BYTES = '0'
    process.env.RUNLOG_SETTLE_ROWS = '500'
    process.env.RUNLOG_HISTORY_BATCH_ROWS = '1000'
    process.env.RUNLOG_DEBUG = '1'
    expect([settings.threads(), settings.parallelMinBytes(), settings.settleRows()]).toEqual([3, 0, 500])
    expect([settings.historyBatchRows(), settings.debug()]).toEqual([1000, true])
  })
})
