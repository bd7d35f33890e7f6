import type {RunDatabase} from '../engine/run-database.js'
import {quoteLiteral} from '../engine/sql-text.js'
import {querySql} from './metric-sql.js'
import {num} from './summary/run-rows.js'
import type {SummarySeries} from './types.js'

export async function summarySeries(db: RunDatabase, runId: string): Promise<SummarySeries> {
  const values = {run_id: quoteLiteral(runId)}
  const datasets = await db.query(querySql('series-datasets', values))
  const judge = await db.query(querySql('series-judge', values))
  const cost = await db.query(querySql('series-cost', values))
  return {
    datasets: datasets.map((r) => ({
      step: Number(r.step),
      split: r.split as 'train' | 'val',
      source: String(r.source),
      correct: Number(r.correct),
      count: Number(r.count),
      accuracy: Number(r.accuracy),
      ci_low: Number(r.ci_low),
      ci_high: Number(r.ci_high),
    })),
    judge: judge.map((r) => ({
      step: Number(r.step),
      calls: Number(r.calls),
      success_rate: num(r.success_rate),
      parse_failure_rate: num(r.parse_failure_rate),
      api_failure_rate: num(r.api_failure_rate),
    })),
    cost: cost.map((r) => ({
      step: Number(r.step),
      cost: num(r.cost),
      cumulative_cost: r.cost === null ? null : num(r.cumulative_cost),
    })),
  }
}
