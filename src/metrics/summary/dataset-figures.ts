import type {RunDatabase} from '../../engine/run-database.js'
import type {DatasetFigure, Origin, SplitFigure} from '../types.js'
import {byRun, num} from './run-rows.js'

/** Datasets of each run, train before val, largest first. */
export async function datasetFigures(
  db: RunDatabase,
  runIds: readonly string[],
): Promise<Map<string, DatasetFigure[]>> {
  const rows = await byRun(db, runIds, 'SELECT * FROM dataset_figures', "run_id, split = 'val', count DESC, source")
  const out = new Map<string, DatasetFigure[]>()
  for (const [id, list] of rows) {
    out.set(
      id,
      list.map((r) => ({
        split: r.split as 'train' | 'val',
        source: String(r.source),
        correct: num(r.correct),
        count: num(r.count),
        accuracy: num(r.accuracy),
        ci_low: num(r.ci_low),
        ci_high: num(r.ci_high),
        avg_reward: num(r.avg_reward),
        avg_cost: num(r.avg_cost),
        origin: r.origin as Origin,
      })),
    )
  }
  return out
}

/** Overall accuracy per split of each run, train first. */
export async function splitFigures(db: RunDatabase, runIds: readonly string[]): Promise<Map<string, SplitFigure[]>> {
  const rows = await byRun(db, runIds, 'SELECT * FROM split_figures', "run_id, split = 'val'")
  const out = new Map<string, SplitFigure[]>()
  for (const [id, list] of rows)
    out.set(
      id,
      list.map((r) => ({
        split: r.split as 'train' | 'val',
        correct: Number(r.correct),
        count: Number(r.count),
        accuracy: Number(r.accuracy),
        ci_low: Number(r.ci_low),
        ci_high: Number(r.ci_high),
      })),
    )
  return out
}
