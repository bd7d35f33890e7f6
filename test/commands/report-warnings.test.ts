import {cpSync, mkdirSync, mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {runlogInProcess} from '../helpers/in-process-cli.js'
import {FIXTURES, GRPO_RUN} from '../helpers/fixtures.js'
import {WandbWriter} from '../support/wandb-writer.js'

// A real crashed run whose log ends inside a record: 2333 bytes cannot be read.
const DAMAGED = join(FIXTURES, 'corpus', 'qwen-sapiens__run-20260609_214644-lec97vx5')
const DAMAGE = /run-lec97vx5\.wandb: 2333 byte\(s\) could not be read/

describe('where summarize puts its warnings', () => {
  it('problems reading the log go to stderr, not into the report; --json keeps them in its warnings too', async () => {
    const human = await runlogInProcess(['summarize', DAMAGED])
    expect(human.status).toBe(0)
    expect(human.stderr).toMatch(new RegExp(`^warning: .*${DAMAGE.source}.*every intact record was kept$`, 'm'))
    expect(human.stdout).not.toMatch(DAMAGE)
    // a finding about the run stays in the report
    expect(human.stdout).toMatch(/^warning: .*the run crashed or was killed/m)
    for (const format of ['md', 'csv']) {
      const r = await runlogInProcess(['summarize', DAMAGED, '--format', format])
      expect(r.stdout, format).not.toMatch(DAMAGE)
      expect(r.stderr, format).toMatch(DAMAGE)
    }
    const json = await runlogInProcess(['summarize', DAMAGED, '--json'])
    expect(json.stderr).toMatch(DAMAGE)
    expect(JSON.parse(json.stdout).warnings.some((w: string) => DAMAGE.test(w))).toBe(true)
    const eff = await runlogInProcess(['efficiency', DAMAGED])
    expect(eff.stderr).toMatch(DAMAGE)
    // a sweep: each damaged run's problems on stderr, read in this thread or on workers
    const sweep = mkdtempSync(join(tmpdir(), 'runlog-warn-'))
    cpSync(DAMAGED, join(sweep, 'run-20260609_214644-lec97vx5'), {recursive: true})
    cpSync(GRPO_RUN, join(sweep, 'offline-run-20251124_010713-ieqh524y'), {recursive: true})
    for (const env of [{}, {RUNLOG_PARALLEL_MIN_BYTES: '0'}] as Array<Record<string, string>>) {
      const all = await runlogInProcess(['summarize', sweep, '--all'], {env})
      expect(all.status, all.stderr).toBe(0)
      expect(all.stderr).toMatch(DAMAGE)
      expect(all.stdout).not.toMatch(DAMAGE)
    }
  })

  it("wandb's own WARNING/ERROR console lines are log content: never echoed as runlog warnings", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'runlog-warn-')), 'offline-run-20261126_120000-warn0001')
    mkdirSync(dir)
    const w = WandbWriter.open(join(dir, 'run-warn0001.wandb'))
    w.header('0.23.0')
    w.run({runId: 'warn0001', project: 'p', startTime: 1700000000})
    w.history(0, {loss: 1})
    const lines = [
      'wandb: WARNING Serializing object of type dict',
      'WARNING: the disk is full',
      'WARNING:root:from logging',
      'wandb: ERROR run failed',
    ]
    w.output('stdout', `${lines.join('\n')}\n`, 1700000001)
    w.output('stderr', 'wandb: WARNING Saving files without folders\n', 1700000002)
    w.exit(0, 10)
    w.close()
    const human = await runlogInProcess(['summarize', dir])
    expect(human.status, human.stderr).toBe(0)
    expect(human.stdout + human.stderr).not.toMatch(/WARNING|ERROR|disk is full|Serializing/)
    const json = await runlogInProcess(['summarize', dir, '--json'])
    expect(JSON.parse(json.stdout).warnings).toEqual([])
    // still there for whoever asks the warnings table
    const q = await runlogInProcess([
      'query',
      dir,
      "SELECT count(*)::INT AS n FROM warnings WHERE kind = 'wandb'",
      '--json',
    ])
    expect(JSON.parse(q.stdout)).toEqual([{n: 3}])
  })
})
