import type {RunDatabase} from '../../engine/run-database.js'
import type {CostFigure, Origin} from '../types.js'
import {numbers, rowPerRun} from './run-rows.js'

const COST_NUMBERS = [
  'total_cost',
  'samples',
  'avg_cost_per_sample',
  'executor_calls',
  'judge_calls',
  'api_calls',
] as const satisfies ReadonlyArray<keyof CostFigure>

/** A run's cost figure, and whether every cost it reported was 0 (unknown rather than free). */
export interface CostOfRun {
  figure: CostFigure
  allZero: boolean
}

export const NO_COST: CostOfRun = {
  figure: {
    total_cost: null,
    samples: null,
    avg_cost_per_sample: null,
    executor_calls: null,
    judge_calls: null,
    api_calls: null,
    origin: 'none',
  },
  allZero: false,
}

export function costFigures(db: RunDatabase, runIds: readonly string[]): Promise<Map<string, CostOfRun>> {
  return rowPerRun(db, runIds, 'cost_figures', (r) => ({
    figure: {...numbers(r, COST_NUMBERS), origin: r.origin as Origin},
    allZero: Boolean(r.all_zero),
  }))
}
