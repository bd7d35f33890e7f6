import {describe, expect, it} from 'vitest'
import {ParseContext} from '../../../../../src/readers/trainer/context.js'
import {SampleBlocks} from '../../../../../src/readers/trainer/families/grpo-workflow/sample-blocks.js'

// The sample blocks on their own: each line is handed with the marker the family's dispatch would find in it.

function feed(blocks: SampleBlocks, ctx: ParseContext, lines: Array<[string, string]>): Array<boolean | null> {
  return lines.map(([marker, line]) => {
    ctx.lineNo++
    return blocks.marker(marker, line, ctx)
  })
}

describe('SampleBlocks', () => {
  it('a block opened, filled and closed is one sample row with its judge event', () => {
    const ctx = new ParseContext('stdout')
    ctx.step = 3
    const blocks = new SampleBlocks()
    const taken = feed(blocks, ctx, [
      ['📊 评估输入', '📊 评估输入 (math, source=gsm8k)'],
      ['📋 使用数据集专属Prompt', '📋 使用数据集专属Prompt: source=gsm8k'],
      ['判决', '   判决: ✅ CORRECT (0.95)'],
      ['🧪', '🧪 qwen | cost: $0.0012 | 用时: 6.77s'],
      ['奖励:', '   奖励: 1.0'],
      ['正确性:', '[S1-1/2] ✅ 正确性: 0.95'],
    ])
    expect(taken).toEqual([true, true, true, true, true, true])
    expect(ctx.samples).toEqual([
      expect.objectContaining({
        step: 3,
        split: 'train',
        sample_id: 'S1-1/2',
        group_id: 'S1',
        source: 'gsm8k',
        problem_type: 'math',
        correct: true,
        reward: 1,
        reported_cost: 0.0012,
        elapsed_s: 6.77,
        judge_status: 'success',
        verdict: 'correct',
      }),
    ])
    expect(ctx.judgeEvents).toEqual([
      expect.objectContaining({sample_id: 'S1-1/2', score: 0.95, label: 'CORRECT', verdict: 'correct'}),
    ])
    expect(ctx.warnings).toEqual([])
  })

  it('leaves other markers to the family (null) and refuses a sample marker it cannot read (false)', () => {
    const ctx = new ParseContext('stdout')
    const blocks = new SampleBlocks()
    expect(
      feed(blocks, ctx, [
        ['📍 Step ', '📍 Step 1/10'],
        ['奖励:', '奖励: many'],
      ]),
    ).toEqual([null, false])
  })

  it('a block that never prints its result is abandoned with a warning at its first line', () => {
    const ctx = new ParseContext('stdout')
    const blocks = new SampleBlocks()
    feed(blocks, ctx, [['📊 评估输入', '📊 评估输入 (source=math500)']])
    blocks.abandon(ctx, 'the log ends inside it')
    blocks.abandon(ctx, 'twice')
    expect(ctx.samples).toEqual([])
    expect(ctx.warnings).toEqual([expect.objectContaining({kind: 'incomplete', line: 1})])
    expect(ctx.warnings[0].message).toContain('source=math500')
  })
})
