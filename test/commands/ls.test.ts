import {runCommand} from '@oclif/test'
import {cpSync, mkdtempSync, mkdirSync, readdirSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {CORPUS, ROOT, sourceRows} from '../helpers/fixtures.js'
import {runlogInProcess} from '../helpers/in-process-cli.js'

describe('runlog ls', () => {
  it('--json lists every corpus run with exactly the documented fields, newest first', async () => {
    const {stdout, error} = await runCommand(['ls', CORPUS, '--json'], {root: ROOT})
    expect(error).toBeUndefined()
    const runs = JSON.parse(stdout) as Array<Record<string, unknown>>
    expect(runs).toHaveLength(197)
    expect(Object.keys(runs[0])).toEqual([
      'dir',
      'id',
      'name',
      'project',
      'state',
      'exit_code',
      'steps',
      'history_rows',
      'wandb_version',
      'started_at',
      'runtime_s',
      'bytes',
      'unreadable_bytes',
    ])
    const started = runs.map((r) => r.started_at as string | null).filter((s): s is string => s !== null)
    expect([...started].sort().reverse()).toEqual(started)
    const byDir = new Map(runs.map((r) => [String(r.dir).split('/').pop(), r]))
    for (const src of sourceRows()) {
      const r = byDir.get(src.folder)!
      expect(r.exit_code, src.folder).toBe(src.exit)
      expect(r.state, src.folder).toBe(src.exit === null ? 'crashed' : src.exit === 0 ? 'finished' : 'failed')
    }
    const alpaca = byDir.get('alpaca__run-20231106_034002-m84hjf9m')!
    expect(alpaca).toMatchObject({
      id: 'm84hjf9m',
      state: 'finished',
      exit_code: 0,
      history_rows: 121,
      wandb_version: '0.15.12',
      bytes: 288480,
      unreadable_bytes: 0,
    })
    const killed = byDir.get('nanogpt__run-20250815_165345-b3fmk8vj')!
    expect(killed).toMatchObject({state: 'crashed', exit_code: null, wandb_version: '0.21.1', bytes: 65536})
    expect(killed.unreadable_bytes).toBeGreaterThan(0)
    // the header's producer, not its min_consumer (0.40.0)
    expect(byDir.get('minigpt-rlhf__run-20251117_005414-wx5ovl9b')!.wandb_version).toBe('0.23.0')
    // versions from files when the log has none
    expect(byDir.get('jigsaw__offline-run-20211206_121237-2aftyuo2')!.wandb_version).toBe('0.12.7')
    expect(byDir.get('pregrasp__run-20220726_073303-3h1dgptr')!.wandb_version).toBe('0.13.0rc4')
  })

  it('defaults to ./wandb and prints a table', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runlog-ls-'))
    mkdirSync(join(dir, 'wandb'))
    for (const name of ['alpaca__run-20231106_034002-m84hjf9m', 'udacity__run-20240131_223056-6m68u298'])
      cpSync(join(CORPUS, name), join(dir, 'wandb', name.split('__')[1]), {recursive: true})
    const cwd = process.cwd()
    process.chdir(dir)
    try {
      const {stdout} = await runCommand(['ls'], {root: ROOT})
      expect(stdout).toContain('m84hjf9m')
      expect(stdout).toContain('6m68u298')
      expect(stdout.indexOf('6m68u298')).toBeLessThan(stdout.indexOf('m84hjf9m'))
    } finally {
      process.chdir(cwd)
    }
  })

  it('says so when nothing is found, and fails on a missing folder', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'runlog-ls-'))
    expect((await runCommand(['ls', empty], {root: ROOT})).stdout).toContain('No wandb runs found')
    const missing = await runCommand(['ls', join(empty, 'nope')], {root: ROOT})
    expect(missing.error?.oclif?.exit).toBe(1)
  })

  it('never modifies the runs it reads', async () => {
    const name = 'rl4avs__offline-run-20250818_154253-01tt2qoy'
    const before = readdirSync(join(CORPUS, name), {recursive: true}).map(String).sort()
    const mtimes = before.map((p) => statSync(join(CORPUS, name, p)).mtimeMs)
    await runCommand(['ls', join(CORPUS, name), '--json'], {root: ROOT})
    // in-process with its output captured: history writes to fd 1 directly, which runCommand lets through
    expect((await runlogInProcess(['history', join(CORPUS, name), '--format', 'jsonl'])).status).toBe(0)
    const after = readdirSync(join(CORPUS, name), {recursive: true}).map(String).sort()
    expect(after).toEqual(before)
    expect(after.map((p) => statSync(join(CORPUS, name, p)).mtimeMs)).toEqual(mtimes)
  })
})
