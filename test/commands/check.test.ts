import {mkdirSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {WandbWriter} from '../support/wandb-writer.js'
import {GRPO_RUN} from '../helpers/fixtures.js'
import {LiveRunlog} from '../helpers/live-cli.js'
import {runlogInProcess} from '../helpers/in-process-cli.js'
import {stepsOfSampleLog} from '../helpers/sample-steps.js'

describe('check --follow', () => {
  it('prints each rule whose status changes as a live run grows; the exit code is that of the final state', async () => {
    const root = mkdtempSync(join(tmpdir(), 'runlog-check-follow-'))
    const dir = join(root, 'offline-run-20261126_120000-live0003')
    mkdirSync(join(dir, 'files'), {recursive: true})
    const w = WandbWriter.open(join(dir, 'run-live0003.wandb'))
    const now = Date.now() / 1000
    w.header('0.23.0+follow')
    w.run({runId: 'live0003', project: 'follow-test', displayName: 'live', startTime: now})
    const chunks = stepsOfSampleLog()
    for (const c of chunks.slice(0, 3)) w.output('stdout', c, now)
    w.flush()

    // validation runs at step 10 of the sample: unknown until then
    const args = [
      'check',
      dir,
      '--follow',
      '--interval',
      '1',
      '--rule',
      'val.accuracy > 10',
      '--rule',
      'train.accuracy > 10',
    ]
    const child = new LiveRunlog(args)
    const lines = () => child.stdout.split('\n').filter((l) => /^\d\d:\d\d:\d\d /.test(l))
    try {
      await child.until(() => lines().length >= 2, 'the first statuses')
      expect(lines()[0]).toMatch(/^\d\d:\d\d:\d\d live0003: val\.accuracy > 10: unknown \(value unknown\)$/)
      expect(lines()[1]).toMatch(/^\d\d:\d\d:\d\d live0003: train\.accuracy > 10: pass \(value [\d.]+\)$/)

      for (const c of chunks.slice(3, 11)) w.output('stdout', c, now + 1)
      w.flush()
      await child.until(() => lines().length >= 3, 'the change of status once validation ran')
      // only the rule whose status changed is printed
      expect(lines()[2]).toMatch(/^\d\d:\d\d:\d\d live0003: val\.accuracy > 10: unknown → pass \(value [\d.]+\)$/)

      w.exit(0, 60)
      w.close()
      expect(await child.exited).toBe(0)
      expect(lines().at(-1)).toMatch(/the run is finished: pass$/)
      expect(lines().filter((l) => l.includes('train.accuracy'))).toHaveLength(1)
    } finally {
      child.kill()
      rmSync(root, {recursive: true, force: true})
    }
  })
})

describe('check arguments', () => {
  it('a run after a --rule is a run, not a second rule', async () => {
    const r = await runlogInProcess([
      'check',
      '--rule',
      'judge.success_rate >= 0.8',
      GRPO_RUN,
      '--rule',
      'train.accuracy > 50',
      '--json',
    ])
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    const [result] = JSON.parse(r.stdout) as Array<{dir: string; rules: Array<{rule: string; status: string}>}>
    expect(result.dir).toBe(GRPO_RUN)
    expect(result.rules.map((x) => [x.rule, x.status])).toEqual([
      ['judge.success_rate >= 0.8', 'pass'],
      ['train.accuracy > 50', 'pass'],
    ])
  })
})
