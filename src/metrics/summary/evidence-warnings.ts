import type {Row, RunDatabase} from '../../engine/run-database.js'
import {querySql} from '../metric-sql.js'
import type {CostOfRun} from './cost-figures.js'
import type {JudgeOfRun} from './judge-figures.js'
import {byRun} from './run-rows.js'

export interface EvidenceCounts {
  judgeEvents: Map<string, Row[]>
  sampleOutcomes: Map<string, Row[]>
  unattributed: Map<string, Row[]>
  partial: Map<string, Row[]>
  gaps: Map<string, Row[]>
}

export async function evidenceCounts(db: RunDatabase, runIds: readonly string[]): Promise<EvidenceCounts> {
  const queries = [
    'judge-event-counts',
    'sample-outcome-counts',
    'unattributed-samples',
    'partial-step-samples',
    'missing-history-steps',
  ]
  const [judgeEvents, sampleOutcomes, unattributed, partial, gaps] = await Promise.all(
    queries.map((name) => byRun(db, runIds, querySql(name))),
  )
  return {judgeEvents, sampleOutcomes, unattributed, partial, gaps}
}

/** Warnings about the evidence itself: what is missing, partial or suspicious. */
export function evidenceWarnings(
  runId: string,
  counts: EvidenceCounts,
  judge: JudgeOfRun,
  cost: CostOfRun,
  apiCallCounters: Row[],
): string[] {
  const first = (m: Map<string, Row[]>) => m.get(runId)?.[0]
  const out: string[] = []
  if (cost.allZero) out.push('every cost in this run is reported as 0: cost figures are unknown, not zero')
  if (judge.figure.origin !== 'none' && judge.mostCalls !== null && judge.figure.calls !== null) {
    const seen = Math.max(Number(first(counts.judgeEvents)?.n ?? 0), Number(first(counts.sampleOutcomes)?.n ?? 0))
    const counters = judge.figure.origin === 'logged' ? 'logged' : 'printed'
    if (seen > 0 && seen < judge.figure.calls)
      out.push(
        `judge verdicts are printed for only ${seen} of ${judge.figure.calls} judge calls: ` +
          `judge figures come from the trainer's ${counters} counters`,
      )
  }
  const unattributed = first(counts.unattributed)
  if (unattributed && Number(unattributed.n) > 0)
    out.push(
      `${String(unattributed.n)} of ${String(unattributed.total)} per-sample events name no dataset (failed executions print no ` +
        'source=): per-dataset counts come from the step tallies where printed; these events still count toward ' +
        'judge and cost',
    )
  const partial = first(counts.partial)
  if (partial && Number(partial.n) > 0)
    out.push(
      `${String(partial.n)} sample(s) of step ${formatSteps(partial.steps as number[])}, which the log was cut off inside, ` +
        'are left out of the per-dataset and per-step figures',
    )
  if (apiCallCounters.length > 0) {
    const keys = [...new Set(apiCallCounters.map((c) => String(c.metric)))].sort().join(' and ')
    out.push(`the trainer's ${keys} count API calls, not samples (at ${apiCallCounters.length} logged value(s))`)
  }
  const gap = first(counts.gaps)
  const missing = (gap?.missing as number[] | null) ?? []
  if (Number(gap?.logged_steps ?? 0) > 0 && missing.length > 0)
    out.push(`${missing.length} step(s) appear in stdout but not in the wandb history: ${formatSteps(missing)}`)
  return out
}

function formatSteps(steps: number[]): string {
  return steps.length <= 10 ? steps.join(', ') : `${steps.slice(0, 10).join(', ')}, … (${steps.length - 10} more)`
}
