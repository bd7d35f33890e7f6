/**
 * Writes a small stdout log in the GRPO workflow trainer's format (as in test/fixtures/grpo-sample/train.log),
 * with samples whose costs and correctness the test chooses, so the expected figures are known by construction.
 */
export interface ConstructedSample {
  source: string
  correctness: number
  executorCost: number
  judgeCost: number
}

export function grpoLog(steps: ConstructedSample[][]): string {
  const out: string[] = ['wandb: Tracking run with wandb version 0.23.0', '']
  const call = (cost: number) => [
    'HTTP Request: POST https://api.openai.com/v1/chat/completions "HTTP/1.1 200 OK"',
    'Token usage: 1000 input + 100 output = 1100 total',
    `Cost: $${cost.toFixed(6)} ($${(cost / 2).toFixed(6)} for input, $${(cost / 2).toFixed(6)} for output)`,
  ]
  steps.forEach((samples, i) => {
    const step = i + 1
    out.push(
      '='.repeat(60),
      `📍 Step ${step}/${steps.length}`,
      '='.repeat(60),
      `📦 Batch ${step}: ${samples.length / 2} 样本`,
    )
    samples.forEach((s, j) => {
      const verdict = s.correctness >= 0.9 ? '✅ 完美' : s.correctness > 0 ? '🟡 接近' : '❌ 错误'
      const mark = s.correctness >= 0.9 ? '✅' : '❌'
      out.push(...call(s.executorCost), '')
      out.push(
        `📊 评估输入 (math, source=${s.source}):`,
        '  问题: constructed',
        `  📋 使用数据集专属Prompt: source=${s.source}`,
      )
      out.push(...call(s.judgeCost))
      out.push(`  判决: ${verdict} (${s.correctness.toFixed(1)})`, `  奖励: ${s.correctness.toFixed(2)}`)
      out.push(`  🧪 执行成功 | cost: ${(s.executorCost + s.judgeCost).toFixed(4)} | 用时: 1.00s`)
      out.push(`  [S${Math.floor(j / 2) + 1}-${(j % 2) + 1}/2] ${mark} 正确性: ${s.correctness.toFixed(1)} | 预测: 42`)
    })
    const bySource = new Map<string, ConstructedSample[]>()
    for (const s of samples) bySource.set(s.source, [...(bySource.get(s.source) ?? []), s])
    const correct = samples.filter((s) => s.correctness >= 0.9).length
    out.push(
      '',
      `🎯 准确率统计: ${correct}/${samples.length} = ${((100 * correct) / samples.length).toFixed(1)}%`,
      '📈 子数据集准确率:',
    )
    for (const [source, list] of bySource) {
      const c = list.filter((s) => s.correctness >= 0.9).length
      const avg = list.reduce((a, s) => a + s.correctness, 0) / list.length
      out.push(
        `  ${source.padEnd(15)}: ${String(c).padStart(2)}/${String(list.length).padStart(2)} = ${((100 * c) / list.length).toFixed(1)}% | 平均分: ${avg.toFixed(2)}`,
      )
    }
    out.push('')
  })
  return `${out.join('\n')}\n`
}
