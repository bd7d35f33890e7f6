import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {samplesFromWandbTables} from '../../../src/readers/trainer/wandb-table-samples.js'

const files = mkdtempSync(join(tmpdir(), 'runlog-table-samples-'))
afterAll(() => rmSync(files, {recursive: true, force: true}))

function table(name: string, content: unknown): string {
  mkdirSync(join(files, 'media', 'table'), {recursive: true})
  const path = `media/table/${name}.table.json`
  writeFileSync(join(files, path), JSON.stringify(content))
  return path
}

describe('samples from a wandb Table', () => {
  it('matches columns by name in any order; a repeated name takes its last column; absent columns are null', () => {
    const path = table('odd', {
      // no `step`, `reward`, `executor_calls`; `cost` twice (the second counts); an extra column
      columns: ['verdict', 'cost', 'extra', 'sample_id', 'split', 'source', 'cost', 'judge_calls', 'judge_status'],
      data: [
        [true, 9, 'x', 'S3-1/2', 'val', 'gsm8k', 0.5, 1, 'success', 'ignored'],
        ['no', 9, 'x', 'q7', 'eval', null, ' 2.5 ', 0, null],
        'not a row',
        ['False', 9, 'x', null, 'train', {a: 1}, '', '3.9'],
        [],
      ],
    })
    const {samples, warnings} = samplesFromWandbTables([{step: 40, key: 'val_samples', path}], files)
    expect(warnings).toEqual([
      `val_samples table of step 40: ${join(files, path)}: 1 rows are not arrays and were skipped`,
    ])
    const base = {
      step: 40,
      problem_type: null,
      correctness: null,
      correct: null,
      reward: null,
      reported_cost: null,
      elapsed_s: null,
      executor_calls: null,
      origin: 'wandb_table',
    }
    expect(samples).toEqual([
      {
        ...base,
        split: 'val',
        sample_id: 'S3-1/2',
        group_id: 'S3',
        source: 'gsm8k',
        source_from: 'wandb_table',
        cost: 0.5,
        cost_from: 'wandb_table',
        exec_failed: false,
        judge_calls: 1,
        judge_status: 'success',
        verdict: 'correct',
        line: 1,
      },
      {
        ...base,
        split: 'val',
        sample_id: 'q7',
        group_id: null,
        source: null,
        source_from: null,
        cost: 2.5,
        cost_from: 'wandb_table',
        exec_failed: true,
        judge_calls: 0,
        judge_status: null,
        verdict: null,
        line: 2,
      },
      {
        ...base,
        split: 'train',
        sample_id: null,
        group_id: null,
        source: '[object Object]',
        source_from: 'wandb_table',
        cost: null,
        cost_from: null,
        exec_failed: false,
        judge_calls: 3,
        judge_status: null,
        verdict: 'incorrect',
        line: 4,
      },
      {
        ...base,
        split: 'val',
        sample_id: null,
        group_id: null,
        source: null,
        source_from: null,
        cost: null,
        cost_from: null,
        exec_failed: false,
        judge_calls: null,
        judge_status: null,
        verdict: null,
        line: 5,
      },
    ])
  })
})
