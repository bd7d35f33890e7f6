import type {ParseContext} from '../../context.js'

/** One figure of the trainer's metric-collector summaries (dataset, accuracy, judge, cost), at the current step. */
export function pushSummary(
  ctx: ParseContext,
  kind: string,
  source: string | null,
  key: string,
  value: number,
  split: 'train' | 'val' | null,
): void {
  ctx.collectorSummaries.push({step: ctx.step, split, kind, source, key, value, origin: 'stdout', line: ctx.lineNo})
}
