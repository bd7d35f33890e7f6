import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  truncateSync,
} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {WandbWriter} from '../support/wandb-writer.js'
import {LiveRunlog} from '../helpers/live-cli.js'
import {stepsOfSampleLog} from '../helpers/sample-steps.js'

describe('summarize --follow', () => {
  it('redraws as a live run grows, reading the new bytes, and stops when the run ends', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'runlog-follow-')), 'offline-run-20261126_120000-live0001')
    mkdirSync(join(dir, 'files'), {recursive: true})
    const log = join(dir, 'run-live0001.wandb')
    const w = WandbWriter.open(log)
    const now = Date.now() / 1000
    w.header('0.23.0+follow')
    w.run({runId: 'live0001', project: 'follow-test', displayName: 'live', startTime: now})
    const chunks = stepsOfSampleLog()
    // steps 1 to 3 (chunk 0 holds the preamble and step 1)
    for (const c of chunks.slice(0, 3)) w.output('stdout', c, now)
    w.flush()

    const child = new LiveRunlog(['summarize', dir, '--follow', '--interval', '1', '--json'])
    const updates = () =>
      child.stdout
        .split('\n')
        .filter((l) => l.startsWith('{"run"'))
        .map((l) => JSON.parse(l))
    try {
      await child.until(() => updates().length >= 1, 'the first redraw')
      const first = updates()[0]
      expect(first.run.state).toBe('running')
      const trainCount = (s: {datasets: Array<{split: string; count: number}>}) =>
        s.datasets.filter((d) => d.split === 'train').reduce((n, d) => n + d.count, 0)
      expect(trainCount(first)).toBe(24)

      for (const c of chunks.slice(3, 6)) w.output('stdout', c, now + 1)
      w.flush()
      await child.until(() => updates().length >= 2, 'a redraw after the log grew')
      expect(trainCount(updates()[1])).toBe(48)

      w.exit(0, 60)
      w.close()
      const code = await child.exited
      expect(code).toBe(0)
      const final = JSON.parse(child.stdout.slice(child.stdout.lastIndexOf('\n{\n') + 1))
      expect(final.run.state).toBe('finished')
      expect(trainCount(final)).toBe(48)
    } finally {
      child.kill()
    }
  })
})

describe('RunFollower', () => {
  it('reads only the bytes the log gained since the last update', async () => {
    const {RunFollower} = await import('../../src/ingest/run-follower.js')
    const {statSync} = await import('node:fs')
    const dir = join(mkdtempSync(join(tmpdir(), 'runlog-follow-')), 'offline-run-20261126_120000-live0002')
    mkdirSync(dir)
    const log = join(dir, 'run-live0002.wandb')
    const w = WandbWriter.open(log)
    w.header('0.23.0+follow')
    w.run({runId: 'live0002', startTime: Date.now() / 1000})
    w.history(0, {loss: 1})
    w.flush()
    const f = new RunFollower(dir)
    const size1 = statSync(log).size
    expect(f.update()).toBe(size1)
    expect(f.update()).toBe(0)
    w.history(1, {loss: 0.5})
    w.output('stdout', 'half a li')
    w.flush()
    const size2 = statSync(log).size
    expect(f.update()).toBe(size2 - size1)
    w.output('stdout', 'ne\n')
    w.close()
    expect(f.update()).toBe(statSync(log).size - size2)
    const snap = f.snapshot()
    expect(snap.data.tables.history!.numRows).toBe(2)
    // the complete console lines, in a temporary file (removed on close)
    expect(readFileSync(snap.consoleFile, 'utf8')).toBe('half a line\n')
    expect(snap.consoleLines).toBe(1)
    f.close()
    expect(existsSync(snap.consoleFile)).toBe(false)
  })
})

/** Writes a small run `id` with history steps `steps` (loss = step) and a console line naming it; returns its log. */
function smallRun(dir: string, id: string, steps: number[], opts: {exit?: boolean} = {}): string {
  const log = join(dir, `run-${id}.wandb`)
  const w = WandbWriter.open(log)
  w.header('0.23.0+follow')
  w.run({runId: id, project: 'follow-test', displayName: `run ${id}`, startTime: Date.now() / 1000})
  for (const step of steps) w.history(step, {loss: step})
  w.output('stdout', `this is run ${id}\n`)
  if (opts.exit) w.exit(0, 10)
  w.close()
  return log
}

describe('RunFollower: a replaced or truncated log is read again from the start, never mixed with the first', () => {
  const historySteps = (f: {
    snapshot(): {data: {tables: {history?: {getChild(n: string): {toArray(): ArrayLike<bigint | number>} | null}}}}
  }) => Array.from(f.snapshot().data.tables.history!.getChild('step')!.toArray(), Number)

  it('notices another file put in its place (another run), a file rewritten in place, and a truncated file', async () => {
    const {RunFollower} = await import('../../src/ingest/run-follower.js')
    const root = mkdtempSync(join(tmpdir(), 'runlog-follow-'))
    const dir = join(root, 'offline-run-20261126_120000-aaaa0001')
    mkdirSync(dir)
    const log = smallRun(dir, 'aaaa0001', [0, 1, 2])
    const other = smallRun(root, 'bbbb0002', [100, 101, 102, 103, 104, 105, 106, 107])
    const restarts: string[] = []
    const f = new RunFollower(dir, (file, why) => restarts.push(`${file}: ${why}`))
    expect(f.update()).toBeGreaterThan(0)
    expect(f.snapshot().data.overview.id).toBe('aaaa0001')
    expect(f.update()).toBe(0)
    expect(restarts).toEqual([])

    // replaced by another file (a new inode), e.g. `mv other.wandb run-aaaa0001.wandb`
    const copy = join(root, 'copy.wandb')
    copyFileSync(other, copy)
    renameSync(copy, log)
    expect(f.update()).toBe(readFileSync(other).length)
    expect(restarts).toHaveLength(1)
    expect(restarts[0]).toMatch(
      /run-aaaa0001\.wandb: the log was replaced by another file; reading it again from the start$/,
    )
    expect(f.snapshot().data.overview.id).toBe('bbbb0002')
    expect(historySteps(f)).toEqual([100, 101, 102, 103, 104, 105, 106, 107])
    expect(readFileSync(f.snapshot().consoleFile, 'utf8')).toBe('this is run bbbb0002\n')

    // rewritten in place (same inode) by a bigger log of another run: its first bytes differ
    const bigger = smallRun(
      root,
      'cccc0003',
      Array.from({length: 40}, (_, i) => 200 + i),
    )
    copyFileSync(bigger, log)
    expect(f.update()).toBeGreaterThan(0)
    expect(restarts).toHaveLength(2)
    expect(restarts[1]).toMatch(/now starts with other records/)
    expect(f.snapshot().data.overview.id).toBe('cccc0003')
    expect(historySteps(f)).toEqual(Array.from({length: 40}, (_, i) => 200 + i))

    // truncated: read again from the start, what is left of it only
    truncateSync(log, 7)
    f.update()
    expect(restarts).toHaveLength(3)
    expect(restarts[2]).toMatch(/shrank from \d+ to 7 bytes/)
    expect(historySteps(f)).toEqual([])
    expect(readFileSync(f.snapshot().consoleFile, 'utf8')).toBe('')

    // removed, then (`rm`, then `cp`) another run in its place: nothing read meanwhile, then the new one from the start
    rmSync(log)
    expect(f.update()).toBe(0)
    expect(f.update()).toBe(0)
    expect(restarts.slice(3)).toEqual([`${log}: the log is gone; waiting for it to come back`])
    copyFileSync(other, log)
    expect(f.update()).toBe(readFileSync(other).length)
    expect(restarts[4]).toBe(`${log}: the log is back; reading it again from the start`)
    expect(f.snapshot().data.overview.id).toBe('bbbb0002')
    expect(historySteps(f)).toEqual([100, 101, 102, 103, 104, 105, 106, 107])
    f.close()
  })
})

describe('summarize --follow on a replaced log', () => {
  it('says so on stderr and shows only the run now in the file', async () => {
    const root = mkdtempSync(join(tmpdir(), 'runlog-follow-'))
    const dir = join(root, 'offline-run-20261126_120000-aaaa0001')
    mkdirSync(dir)
    const log = smallRun(dir, 'aaaa0001', [0, 1, 2])
    const other = smallRun(root, 'bbbb0002', [100, 101, 102, 103, 104], {exit: true})
    const child = new LiveRunlog(['summarize', dir, '--follow', '--interval', '1', '--json'])
    try {
      await child.until(() => child.stdout.includes('\n'), 'the first update')
      expect(JSON.parse(child.stdout.split('\n')[0]).run.id).toBe('aaaa0001')
      const copy = join(root, 'copy.wandb')
      copyFileSync(other, copy)
      renameSync(copy, log)
      expect(await child.exited).toBe(0)
      const final = JSON.parse(child.stdout.slice(child.stdout.lastIndexOf('\n{\n') + 1))
      expect(final.run).toMatchObject({id: 'bbbb0002', state: 'finished', steps: 5})
      const replaced = 'the log was replaced by another file; reading it again from the start'
      expect(child.stderr).toMatch(new RegExp(`^warning: .*run-aaaa0001\\.wandb: ${replaced}$`, 'm'))
    } finally {
      child.kill()
    }
  })
})

describe('summarize --follow interrupted', () => {
  it('Ctrl-C (SIGINT) removes its temporary files, the spooled console included, and exits 130', async () => {
    const root = mkdtempSync(join(tmpdir(), 'runlog-follow-'))
    const tmp = mkdtempSync(join(root, 'tmp-'))
    const dir = join(root, 'offline-run-20261126_120000-aaaa0001')
    mkdirSync(dir)
    smallRun(dir, 'aaaa0001', [0, 1, 2])
    const args = ['summarize', dir, '--follow', '--interval', '1', '--json']
    const child = new LiveRunlog(args, {env: {TMPDIR: tmp}})
    try {
      await child.until(() => child.stdout.includes('"run"'), 'the first update')
      expect(child.stdout).toContain('"aaaa0001"')
      expect(readdirSync(tmp).some((n) => n.startsWith('runlog-follow-'))).toBe(true)
      child.child.kill('SIGINT')
      expect(await child.exited).toBe(130)
      expect(readdirSync(tmp)).toEqual([])
    } finally {
      child.kill()
    }
  })
})
