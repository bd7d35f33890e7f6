import {mkdtempSync, mkdirSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {InputError} from '../../../src/errors.js'
import {parseTrainerLogFile} from '../../../src/readers/trainer/trainer-parser.js'
import {SAMPLES_COLUMNS, TRAINER_TABLE_COLUMNS, trainerTables} from '../../../src/readers/trainer/trainer-tables.js'
import {samplesFromWandbTables} from '../../../src/readers/trainer/wandb-table-samples.js'
import {countMatching, LOGS, rawLines, RUN_FILE, SAMPLE} from './helpers.js'

const dir = mkdtempSync(join(tmpdir(), 'runlog-trainer-err-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

describe('parseTrainerLogFile input errors', () => {
  it('rejects a missing file, a directory, a .wandb file and a binary file with InputError', async () => {
    await expect(parseTrainerLogFile(join(dir, 'nope.log'))).rejects.toThrow(InputError)
    await expect(parseTrainerLogFile(join(dir, 'nope.log'))).rejects.toThrow(/no such file/)
    await expect(parseTrainerLogFile(dir)).rejects.toThrow(/directory/)
    await expect(parseTrainerLogFile(RUN_FILE)).rejects.toThrow(/wandb run file/)
    const bin = join(dir, 'x.bin')
    writeFileSync(bin, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2, 3]))
    await expect(parseTrainerLogFile(bin)).rejects.toThrow(/binary/)
  })
  it('reads an empty file as no events', async () => {
    const empty = join(dir, 'empty.log')
    writeFileSync(empty, '')
    const e = await parseTrainerLogFile(empty)
    expect([e.lines, e.samples.length, e.steps.length, e.bytes]).toEqual([0, 0, 0, 0])
  })
})

describe('trainerTables', async () => {
  const e = await parseTrainerLogFile(join(SAMPLE, 'train.log'))
  const t = trainerTables(e)
  it('builds every table with its documented columns and one row per event', () => {
    for (const [name, spec] of Object.entries(TRAINER_TABLE_COLUMNS)) {
      expect(t[name as keyof typeof t].schema.fields.map((f) => f.name)).toEqual(Object.keys(spec))
    }
    expect(t.samples.numRows).toBe(e.samples.length)
    expect(t.api_calls.numRows).toBe(e.apiCalls.length)
    expect(t.judge_events.numRows).toBe(e.judgeEvents.length)
    expect(t.step_tallies.numRows).toBe(e.stepTallies.length)
    const first = t.samples.get(0)!.toJSON() as Record<string, unknown>
    expect(Object.keys(first)).toEqual(Object.keys(SAMPLES_COLUMNS))
    expect(first).toMatchObject({
      step: 1n,
      split: 'train',
      sample_id: 'S1-1/2',
      source: 'math',
      correct: false,
      origin: 'stdout',
    })
  })
  it('builds empty tables with the same schema', () => {
    const empty = trainerTables({
      steps: [],
      samples: [],
      judgeEvents: [],
      apiCalls: [],
      stepTallies: [],
      collectorSummaries: [],
      stepMetrics: [],
      warnings: [],
      end: {state: null, error: null},
      lines: 0,
    })
    expect(empty.samples.numRows).toBe(0)
    expect(empty.samples.schema.fields.length).toBe(Object.keys(SAMPLES_COLUMNS).length)
  })
})

describe('samplesFromWandbTables damage', () => {
  it('warns about a missing or corrupt table file and reads the others', () => {
    const files = join(dir, 'files')
    mkdirSync(join(files, 'media/table'), {recursive: true})
    writeFileSync(
      join(files, 'media/table/ok.table.json'),
      JSON.stringify({columns: ['step', 'source', 'correctness', 'reward'], data: [[3, 'gsm8k', 0.95, 1]]}),
    )
    writeFileSync(join(files, 'media/table/bad.table.json'), '{"columns": ["step"], "data": [[1')
    const {samples, warnings} = samplesFromWandbTables(
      [
        {step: 3, key: 'samples', path: 'media/table/ok.table.json'},
        {step: 4, key: 'samples', path: 'media/table/bad.table.json'},
        {step: 5, key: 'val_samples', path: 'media/table/gone.table.json'},
      ],
      files,
    )
    expect(samples).toHaveLength(1)
    expect(samples[0]).toMatchObject({
      step: 3,
      split: 'train',
      source: 'gsm8k',
      correct: true,
      origin: 'wandb_table',
      source_from: 'wandb_table',
    })
    expect(warnings).toHaveLength(2)
    expect(warnings[0]).toMatch(/bad\.table\.json cannot be read/)
    expect(warnings[1]).toMatch(/gone\.table\.json is missing/)
  })
})

describe('other trainers’ real logs', () => {
  it('verl PPO: one step row per `step:N - …` line, steps 101–435, per-dataset validation reward', async () => {
    const path = join(LOGS, 'verl-ppo__dstack-configs__verl_demo.log')
    const lines = rawLines(path)
    const e = await parseTrainerLogFile(path)
    const stepLines = countMatching(lines, /step:\d+ - /)
    expect(stepLines).toBe(335)
    expect(e.steps.length).toBe(stepLines)
    expect(e.steps[0].step).toBe(101)
    expect(e.steps[e.steps.length - 1].step).toBe(435)
    const val = e.stepMetrics.filter((m) => m.key === 'val-core/openai/gsm8k/reward/mean@1')
    expect(val.length).toBe(countMatching(lines, /step:\d+ - .*val-core\/openai\/gsm8k\/reward\/mean@1:/))
    expect(val.find((m) => m.step === 110)!.value).toBe(0.892)
    expect(e.samples).toEqual([])
  })
  it('TRL GRPOTrainer: one step per dict line', async () => {
    const path = join(LOGS, 'trl-grpo__ton__evvobjd4_output.log')
    const lines = rawLines(path)
    const e = await parseTrainerLogFile(path)
    const dicts = countMatching(lines, /^\{'loss': /)
    expect(dicts).toBe(33)
    expect(e.steps.map((s) => s.step)).toEqual(Array.from({length: dicts}, (_, i) => i + 1))
    expect(e.stepMetrics.filter((m) => m.key === 'rewards/accuracy_reward').length).toBe(dicts)
    expect(e.stepMetrics.find((m) => m.step === 1 && m.key === 'reward')!.value).toBe(0.0078125)
  })
})
