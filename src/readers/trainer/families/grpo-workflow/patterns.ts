/** The GRPO workflow trainer's line patterns: its markers and the regexes that read each kind of line. */

export const GRPO_FAMILY = 'grpo-workflow'

/** Every structured line of this trainer holds a CJK character or an emoji (a UTF-16 surrogate): a cheap first test. */
export const MARKER = /[\u4e00-\u9fff\ud83c-\ud83e\u26a0]/

/** The markers, longest first where one is a prefix of another; the family dispatches on the one found. */
export const MARKERS = [
  '判决',
  '执行失败',
  '奖励:',
  '🧪',
  '正确性:',
  '📊 评估输入',
  '📋 使用数据集专属Prompt',
  '无法解析LLM Judge响应',
  'LLM Judge调用失败',
  '🤖 LLM Judge统计',
  '🤖 LLM Judge结果',
  '📍 Step ',
  '📦 Batch ',
  '🎯 准确率统计',
  '📈 子数据集准确率',
  '📊 数据集统计摘要',
  '💰 成本统计',
  '🔍 验证集评估',
  '📊 验证集结果',
  '📊 Metrics:',
] as const
export const DISPATCH = new RegExp(MARKERS.join('|'), 'g')

export const STEP = /📍 Step (\d+)(?:\s*\/\s*(\d+))?/
export const BATCH = /📦 Batch \d+:\s*(\d+)\s*样本/
export const EVAL_INPUT = /📊 评估输入 \((?:([^,()]*?),\s*)?source=([^)\s]+)\s*\)/
export const JUDGE_PROMPT = /📋 使用数据集专属Prompt: source=(\S+)/
export const JUDGE_BOOL = /(?:^|\s)判决:\s*(True|False)\s*$/
export const JUDGE_SCORE = /(?:^|\s)判决:\s*(\S+)\s+(\S+)\s*\((-?\d+(?:\.\d+)?)\)\s*$/
export const JUDGE_API_FAILURE = /LLM Judge调用失败:?\s*(.*)$/
export const REWARD = /(?:^|\s)奖励:\s*(-?\d+(?:\.\d+)?)\s*$/
export const EXEC = /🧪\s*(\S+)\s*\|\s*cost:\s*\$?(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)\s*\|\s*用时:\s*(\d+(?:\.\d+)?)s/
export const CLOSE = /\[([^\]\s]+)\]\s*(?:\S+\s+)?正确性:\s*(-?\d+(?:\.\d+)?)/
export const FAILED = /\[([^\]\s]+)\]\s*(?:\S+\s+)?执行失败\s*\|\s*奖励:\s*(-?\d+(?:\.\d+)?)/
export const ACCURACY = /🎯 准确率统计:\s*(\d+)\s*\/\s*(\d+)\s*=\s*(-?[\d.]+)%(?:.*?平均正确性评分:\s*(-?[\d.]+))?/
export const JUDGE_STATS = /🤖 LLM Judge统计 \(总计:\s*(\d+)\s*次\)/

// Lines inside the summary blocks.
export const TALLY =
  /^\s*([^\s:][^:]*?)\s*:\s*(\d+)\s*\/\s*(\d+)\s*=\s*(-?[\d.]+)%(?:\s*\|\s*平均分:\s*(-?[\d.]+))?\s*$/
export const COUNT_PCT = /^\s*(成功|解析失败|API失败):\s*(\d+)\s*\((-?[\d.]+)%\)/
export const VERDICT_ACC = /^\s*判决准确率:\s*(-?[\d.]+)%\s*\(正确:\s*(\d+),\s*错误:\s*(\d+)\)/
export const COST_LINE =
  /^\s*(总成本|样本数|Executor调用|Judge调用|平均成本\/样本):\s*\$?(-?[\d.]+(?:[eE][-+]?\d+)?)\s*$/
export const METRIC_LINE = /^\s+([A-Za-z_][\w/.@-]*):\s*(\S+)\s*$/
export const VAL_ACC = /^\s*准确率:\s*(\d+)\s*\/\s*(\d+)(?:\s*=\s*(-?[\d.]+)%)?/

/** The judge statistics block's labels → the summary keys of the count and its percentage. */
export const JUDGE_KEYS: Record<string, [string, string]> = {
  成功: ['success', 'success_pct'],
  解析失败: ['parse_failure', 'parse_failure_pct'],
  API失败: ['api_failure', 'api_failure_pct'],
}

/** The cost statistics block's labels → summary keys. */
export const COST_KEYS: Record<string, string> = {
  总成本: 'total_cost',
  样本数: 'samples',
  Executor调用: 'executor_calls',
  Judge调用: 'judge_calls',
  '平均成本/样本': 'avg_cost_per_sample',
}
