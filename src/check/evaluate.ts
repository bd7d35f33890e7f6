/** A rule's figure looked up in a run's summary, and the rule's status. */
import type {Summary} from '../metrics/types.js'
import {type Rule, compare} from './rules.js'

export type RuleStatus = 'pass' | 'fail' | 'unknown'

export interface RuleResult {
  rule: string
  figure: string
  op: Rule['op']
  threshold: number
  /** null when the run has no such figure (unknown). */
  value: number | null
  status: RuleStatus
}

export interface CheckResult {
  run: string
  dir: string
  passed: boolean
  rules: RuleResult[]
}

export function figureValue(s: Summary, figure: string): number | null {
  switch (figure) {
    case 'judge.success_rate':
      return s.judge.success_rate
    case 'judge.parse_failure_rate':
      return s.judge.parse_failure_rate
    case 'judge.api_failure_rate':
      return s.judge.api_failure_rate
    case 'cost.total_cost':
      return s.cost.total_cost
    case 'cost.avg_cost_per_sample':
      return s.cost.avg_cost_per_sample
    case 'checks.count':
      return s.checks.length
    case 'warnings.count':
      return s.warnings.length
    case 'alerts.count':
      return s.diagnosis.filter((d) => d.severity === 'alert').length
  }
  const dot = figure.indexOf('.')
  const split = figure.slice(0, dot)
  const rest = figure.slice(dot + 1)
  if (rest === 'accuracy') return s.splits.find((x) => x.split === split)?.accuracy ?? null
  const source = rest.slice(0, -'.accuracy'.length)
  return s.datasets.find((d) => d.split === split && d.source === source)?.accuracy ?? null
}

/** Every rule on one run; `allowUnknown` makes an unknown figure pass. */
export function checkRun(s: Summary, dir: string, rules: Rule[], allowUnknown: boolean): CheckResult {
  const results = rules.map((r): RuleResult => {
    const value = figureValue(s, r.figure)
    const status: RuleStatus =
      value === null || Number.isNaN(value) ? 'unknown' : compare(value, r.op, r.threshold) ? 'pass' : 'fail'
    return {rule: r.text, figure: r.figure, op: r.op, threshold: r.threshold, value, status}
  })
  const passed = results.every((r) => r.status === 'pass' || (r.status === 'unknown' && allowUnknown))
  return {run: s.run.id ?? s.run.name ?? dir, dir, passed, rules: results}
}
