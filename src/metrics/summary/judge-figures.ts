import type {RunDatabase} from '../../engine/run-database.js'
import type {JudgeFigure, Origin} from '../types.js'
import {num, numbers, rowPerRun} from './run-rows.js'

const JUDGE_NUMBERS = [
  'calls',
  'success',
  'parse_failures',
  'api_failures',
  'success_rate',
  'parse_failure_rate',
  'api_failure_rate',
  'correct',
  'incorrect',
  'correct_ratio',
] as const satisfies ReadonlyArray<keyof JudgeFigure>

/** A run's judge figure, and the most judge calls any of its counters logged (null when none did). */
export interface JudgeOfRun {
  figure: JudgeFigure
  mostCalls: number | null
}

const NO_JUDGE: JudgeFigure = {
  calls: null,
  success: null,
  parse_failures: null,
  api_failures: null,
  success_rate: null,
  parse_failure_rate: null,
  api_failure_rate: null,
  correct: null,
  incorrect: null,
  correct_ratio: null,
  origin: 'none',
}

export const NO_JUDGE_OF_RUN: JudgeOfRun = {figure: NO_JUDGE, mostCalls: null}

export function judgeFigures(db: RunDatabase, runIds: readonly string[]): Promise<Map<string, JudgeOfRun>> {
  return rowPerRun(db, runIds, 'judge_figures', (r) => ({
    figure: {...numbers(r, JUDGE_NUMBERS), origin: r.origin as Origin},
    mostCalls: num(r.most_calls),
  }))
}
