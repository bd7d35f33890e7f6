import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {parseTrainerLogFile, TrainerParser} from '../../../src/readers/trainer/trainer-parser.js'
import type {TrainerEvents} from '../../../src/readers/trainer/types.js'
import {HANDWRITTEN} from './helpers.js'

function parse(text: string): TrainerEvents {
  const p = new TrainerParser()
  for (const l of text.split('\n')) p.push(l)
  return p.finish()
}

describe('grpo-workflow family with every kind of noise (handwritten/grpo-noise.log)', async () => {
  const e = await parseTrainerLogFile(join(HANDWRITTEN, 'grpo-noise.log'))

  it('reads the step banner through ANSI codes', () => {
    expect(e.steps).toHaveLength(1)
    expect(e.steps[0]).toMatchObject({
      step: 3,
      max_step: 50,
      batch_problems: 1,
      complete: true,
      train_correct: 0,
      train_total: 2,
    })
    expect(e.steps[0].avg_correctness_score).toBe(0.35)
  })

  it('reads API calls, including one glued to stray output, with their tokens and cost', () => {
    expect(e.apiCalls.map((c) => [c.line, c.role, c.total_tokens, c.cost])).toEqual([
      [8, 'executor', 150, 0.0001],
      [19, 'judge', 15, 0.00001],
      [31, 'executor', null, null],
    ])
  })

  it('ignores structured-looking model output and reads the sample block', () => {
    const s = e.samples.find((r) => r.sample_id === 'S1-1/2')!
    expect(s).toMatchObject({
      step: 3,
      split: 'train',
      source: 'math',
      source_from: 'stdout',
      problem_type: 'math',
      correctness: 0.7,
      correct: false,
      reward: 0.7,
      reported_cost: 0.0001,
      elapsed_s: 1.5,
      executor_calls: 1,
      judge_calls: 1,
      judge_status: 'success',
      verdict: 'incorrect',
      cost_from: 'api_calls',
    })
    expect(s.cost).toBeCloseTo(0.00011, 12)
    expect(e.judgeEvents).toHaveLength(1)
    expect(e.judgeEvents[0]).toMatchObject({
      sample_id: 'S1-1/2',
      score: 0.7,
      label: '接近',
      status: 'success',
      verdict: 'incorrect',
    })
  })

  it('reads a failed sample printed after `\\r` progress-bar overwrites and gives it its sibling’s dataset', () => {
    const f = e.samples.find((r) => r.sample_id === 'S1-2/2')!
    expect(f).toMatchObject({
      exec_failed: true,
      correctness: 0,
      correct: false,
      reward: 0,
      source: 'math',
      source_from: 'sibling',
      executor_calls: 1,
      judge_calls: 0,
      judge_status: null,
      line: 32,
    })
    expect(e.samples).toHaveLength(2)
  })

  it('keeps the traceback and wandb’s dropped step as warnings', () => {
    expect(e.warnings.map((w) => [w.kind, w.line])).toEqual([
      ['traceback', 27],
      ['wandb_dropped_step', 33],
    ])
    expect(e.warnings[0].message).toBe("NameError: name 'z' is not defined")
    expect(e.warnings[1].message).toContain('step 2')
  })

  it('reads the step tally', () => {
    expect(e.stepTallies).toEqual([
      {
        step: 3,
        split: 'train',
        source: 'math',
        correct: 0,
        total: 2,
        accuracy_pct: 0,
        avg_score: 0.35,
        kind: 'step_tally',
        counted: true,
        origin: 'stdout',
        line: 36,
      },
    ])
  })
})

describe('grpo-workflow collectors, judge outcomes and validation', () => {
  const log = `📍 Step 10/30
📊 评估输入 (math, source=gsm8k):
  📋 使用数据集专属Prompt: source=gsm8k
HTTP Request: POST https://api.openai.com/v1/chat/completions "HTTP/1.1 200 OK"
🤖 LLM Judge结果 (math):
  判决: False
  LLM响应: <true_false>False</true_false>...
  判决: ✅ 完美 (1.0)
  奖励: 1.00
  🧪 执行成功 | cost: 0.0012 | 用时: 2.00s
  [S1-1/2] ✅ 正确性: 1.0 | 预测: 42
📊 评估输入 (qa, source=hotpotqa):
  📋 使用数据集专属Prompt: source=hotpotqa
HTTP Request: POST https://api.openai.com/v1/chat/completions "HTTP/1.1 200 OK"
  ⚠️  无法解析LLM Judge响应（尝试了5种格式）
  判决: ❌ 错误 (0.0)
  奖励: 0.00
  [S2-1/2] ❌ 正确性: 0.0 | 预测: x
📊 评估输入 (qa, source=hotpotqa):
  📋 使用数据集专属Prompt: source=hotpotqa
HTTP Request: POST https://api.openai.com/v1/chat/completions "HTTP/1.1 200 OK"
  ⚠️  LLM Judge调用失败: APITimeoutError: Request timed out.
  判决: ❌ 错误 (0.0)
  奖励: 0.00
  [S2-2/2] ❌ 正确性: 0.0 | 预测: x

🎯 准确率统计: 1/3 = 33.3% (平均正确性评分: 0.33/1.0)

📈 子数据集准确率:
  gsm8k          :  1/ 1 = 100.0% | 平均分: 1.00
  hotpotqa       :  0/ 2 =   0.0% | 平均分: 0.00

📊 数据集统计摘要:
  gsm8k          :   1/  1 = 100.0%
  hotpotqa       :   0/  2 =   0.0%

🤖 LLM Judge统计 (总计: 100 次):
  成功: 85 (85.0%)
  解析失败: 10 (10.0%)
  API失败: 5 (5.0%)
  判决准确率: 70.6% (正确: 60, 错误: 25)

💰 成本统计:
  总成本: $0.0350
  样本数: 40
  Executor调用: 30
  Judge调用: 10
  平均成本/样本: $0.000875

🔍 验证集评估...
📊 评估输入 (math, source=math):
  📋 使用数据集专属Prompt: source=math
HTTP Request: POST https://api.openai.com/v1/chat/completions "HTTP/1.1 200 OK"
  判决: True
  判决: ✅ 完美 (1.0)
  奖励: 1.00
  [V1] ✅ 正确性: 1.0 | 预测: 42

📊 验证集结果:
  准确率: 1/1 = 100.0%

📊 数据集统计摘要:
  math           :   1/  1 = 100.0%
`
  const e = parse(log)

  it('gives each judge evaluation its status and verdict', () => {
    expect(e.judgeEvents.map((j) => [j.sample_id, j.split, j.status, j.verdict, j.judge_bool])).toEqual([
      ['S1-1/2', 'train', 'success', 'incorrect', false], // the judge said False, the graded score was 1.0
      ['S2-1/2', 'train', 'parse_failure', null, null],
      ['S2-2/2', 'train', 'api_failure', null, null],
      ['V1', 'val', 'success', 'correct', true],
    ])
    expect(e.judgeEvents[2].message).toBe('APITimeoutError: Request timed out.')
    expect(e.samples.map((s) => s.judge_status)).toEqual(['success', 'parse_failure', 'api_failure', 'success'])
    expect(e.apiCalls.map((c) => `${c.role}:${c.split}:${c.sample_id}`)).toEqual([
      'judge:train:S1-1/2',
      'judge:train:S2-1/2',
      'judge:train:S2-2/2',
      'judge:val:V1',
    ])
  })

  it('counts the repeated dataset summary once, and the validation summary as validation', () => {
    const rows = e.stepTallies.map((t) => `${t.kind}:${t.split}:${t.source}:${t.correct}/${t.total}:${t.counted}`)
    expect(rows).toEqual([
      'step_tally:train:gsm8k:1/1:true',
      'step_tally:train:hotpotqa:0/2:true',
      'collector_summary:train:gsm8k:1/1:false',
      'collector_summary:train:hotpotqa:0/2:false',
      'collector_summary:val:math:1/1:true',
    ])
    expect(e.warnings.filter((w) => w.kind === 'tally_mismatch')).toEqual([])
  })

  it('stores the judge and cost collector claims', () => {
    const claims = (kind: string) =>
      Object.fromEntries(e.collectorSummaries.filter((c) => c.kind === kind).map((c) => [c.key, c.value]))
    expect(claims('judge')).toEqual({
      total_calls: 100,
      success: 85,
      success_pct: 85,
      parse_failure: 10,
      parse_failure_pct: 10,
      api_failure: 5,
      api_failure_pct: 5,
      verdict_accuracy_pct: 70.6,
      correct: 60,
      incorrect: 25,
    })
    expect(claims('cost')).toEqual({
      total_cost: 0.035,
      samples: 40,
      executor_calls: 30,
      judge_calls: 10,
      avg_cost_per_sample: 0.000875,
    })
    expect(e.steps[0]).toMatchObject({step: 10, val_correct: 1, val_total: 1, train_correct: 1, train_total: 3})
  })

  it('warns when the repeated summary disagrees with the step tally', () => {
    const bad = parse(log.replace('  hotpotqa       :   0/  2 =   0.0%', '  hotpotqa       :   1/  2 =  50.0%'))
    expect(bad.warnings.filter((w) => w.kind === 'tally_mismatch')).toHaveLength(1)
  })

  it('leaves a failed sample unattributed when nothing tells its dataset, and uses the step tally when it does', () => {
    const two = `📍 Step 1/5
📊 评估输入 (math, source=gsm8k):
  判决: ✅ 完美 (1.0)
  [S1-1/2] ✅ 正确性: 1.0 | 预测: 1
  [S2-1/2] ❌ 执行失败 | 奖励: 0.000
  [S3-1/2] ❌ 执行失败 | 奖励: 0.000
`
    expect(
      parse(two)
        .samples.filter((s) => s.exec_failed)
        .map((s) => s.source),
    ).toEqual([null, null])
    const tallied = parse(
      `${two}📈 子数据集准确率:\n  gsm8k          :  1/ 1 = 100.0%\n  math           :  0/ 2 =   0.0%\n`,
    )
    expect(tallied.samples.filter((s) => s.exec_failed).map((s) => `${s.source}:${s.source_from}`)).toEqual([
      'math:step_tally',
      'math:step_tally',
    ])
    const ambiguous = parse(
      `${two}📈 子数据集准确率:\n  gsm8k          :  1/ 1 = 100.0%\n  math           :  0/ 1 =   0.0%\n  mmlu           :  0/ 1 =   0.0%\n`,
    )
    expect(ambiguous.samples.filter((s) => s.exec_failed).map((s) => s.source)).toEqual([null, null])
  })

  it('warns about a sample block cut off by the end of the log', () => {
    const cut = parse('📍 Step 1/5\n📊 评估输入 (math, source=gsm8k):\n  判决: ✅ 完美 (1.0)\n')
    expect(cut.samples).toEqual([])
    expect(cut.warnings.map((w) => w.kind)).toEqual(['incomplete', 'incomplete'])
  })
})

describe('verl family', () => {
  it('reads `step:N - key:value` lines behind a Ray prefix and ANSI codes', () => {
    const e = parse(
      [
        '\x1b[36m(TaskRunner pid=14640)\x1b[0m step:101 - actor/pg_loss:0.019 - val-core/openai/gsm8k/reward/mean@1:0.892 - timing_s/step:34.248',
        "\x1b[36m(TaskRunner pid=14640)\x1b[0m [response] Let's break it down step by step:",
        'step:102 - critic/score/mean:-0.5 - note:abc',
      ].join('\n'),
    )
    expect(e.stepMetrics.map((m) => [m.step, m.key, m.value, m.family])).toEqual([
      [101, 'actor/pg_loss', 0.019, 'verl'],
      [101, 'val-core/openai/gsm8k/reward/mean@1', 0.892, 'verl'],
      [101, 'timing_s/step', 34.248, 'verl'],
      [102, 'critic/score/mean', -0.5, 'verl'],
    ])
    expect(e.steps.map((s) => [s.step, s.family])).toEqual([
      [101, 'verl'],
      [102, 'verl'],
    ])
  })
})

describe('trl-dict family', () => {
  it('reads dict lines, taking the step from the progress bar when printed, else counting', () => {
    const e = parse(
      [
        '  0%|          | 5/2374 [00:57<37:48:58, 57.37s/it]',
        "{'loss': 0.0, 'grad_norm': 5.2, 'learning_rate': 1e-06, 'rewards/accuracy_reward': 0.0, 'reward': 0.0078125, 'kl': 0.0, 'epoch': 0.0}",
        "content:  <answer>{'x': 1}</answer> sol:  <answer>pyautogui.click(x=0.922, y=0.159)</answer>",
        "{'loss': 0.1, 'reward': nan, 'epoch': 0.01}",
        "{'train_runtime': 100.5, 'train_loss': 0.05, 'epoch': 0.02}",
      ].join('\n'),
    )
    const byStep = (s: number) =>
      Object.fromEntries(e.stepMetrics.filter((m) => m.step === s).map((m) => [m.key, m.value]))
    expect(byStep(5)).toEqual({
      loss: 0,
      grad_norm: 5.2,
      learning_rate: 1e-6,
      'rewards/accuracy_reward': 0,
      reward: 0.0078125,
      kl: 0,
      epoch: 0,
    })
    expect(byStep(6).loss).toBe(0.1)
    expect(Number.isNaN(byStep(6).reward)).toBe(true)
    expect(byStep(6).train_runtime).toBe(100.5)
    expect(e.steps.map((s) => s.step)).toEqual([5, 6])
    expect(e.stepMetrics.every((m) => m.family === 'trl-dict')).toBe(true)
  })
})

describe('roll-json family (handwritten/roll-rlvr.log)', async () => {
  const e = await parseTrainerLogFile(join(HANDWRITTEN, 'roll-rlvr.log'))
  it('reads one JSON metrics object per step, its step from `pipeline step N finished` or a step key', () => {
    const byStep = (s: number) =>
      Object.fromEntries(e.stepMetrics.filter((m) => m.step === s).map((m) => [m.key, m.value]))
    expect(byStep(0)).toEqual({
      'critic/score/mean': 0.25,
      'critic/rewards/mean': 0.25,
      'actor/pg_loss': -0.012,
      'actor/lr': 1e-6,
      'time/step_generate': 31.5,
      'system/samples': 64,
    })
    expect(byStep(1)['val/gsm8k/score/mean']).toBe(0.77)
    expect(byStep(7)).toEqual({'system/step': 7, 'critic/score/mean': 0.625, 'actor/pg_loss': 0.001})
    expect(e.steps.map((s) => [s.step, s.family])).toEqual([
      [0, 'roll-json'],
      [1, 'roll-json'],
      [7, 'roll-json'],
    ])
    expect(e.stepMetrics).toHaveLength(6 + 6 + 3)
    expect(e.warnings).toEqual([])
  })
})
