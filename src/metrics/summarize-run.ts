import type {RunDatabase} from '../engine/run-database.js'
import type {RunEvidence} from '../ingest/evidence-types.js'
import {costFigures, NO_COST} from './summary/cost-figures.js'
import {datasetFigures, splitFigures} from './summary/dataset-figures.js'
import {diagnoses} from './summary/diagnoses.js'
import {evidenceCounts, evidenceWarnings} from './summary/evidence-warnings.js'
import {judgeFigures, NO_JUDGE_OF_RUN} from './summary/judge-figures.js'
import {runChecks} from './summary/run-checks.js'
import {stepMetrics} from './summary/step-metrics.js'
import {DEFAULT_DIAGNOSIS, type DiagnosisOptions, type Summary} from './types.js'

/** The `summarize` figures of loaded runs, from the metric views (each view queried once for all of them). */
export async function summarizeRuns(
  db: RunDatabase,
  runs: readonly RunEvidence[],
  opts: DiagnosisOptions = DEFAULT_DIAGNOSIS,
): Promise<Summary[]> {
  const ids = runs.map((r) => r.runId)
  // The figures' queries run at once (one connection and one core each).
  const [judges, costs, checksOf, datasets, splits, diagnosis, counts, metrics] = await Promise.all([
    judgeFigures(db, ids),
    costFigures(db, ids),
    runChecks(db, ids),
    datasetFigures(db, ids),
    splitFigures(db, ids),
    diagnoses(db, ids, opts),
    evidenceCounts(db, ids),
    stepMetrics(db, ids),
  ])
  return runs.map((ev) => {
    const judge = judges.get(ev.runId) ?? NO_JUDGE_OF_RUN
    const cost = costs.get(ev.runId) ?? NO_COST
    const c = checksOf.get(ev.runId)!
    const aboutEvidence = evidenceWarnings(ev.runId, counts, judge, cost, c.apiCallCounters)
    const warnings = [...new Set([...ev.warnings, ...aboutEvidence])]
    return {
      run: ev.info,
      datasets: datasets.get(ev.runId) ?? [],
      splits: splits.get(ev.runId) ?? [],
      judge: judge.figure,
      cost: cost.figure,
      checks: c.checks,
      metrics: metrics.get(ev.runId) ?? [],
      warnings,
      diagnosis: diagnosis.get(ev.runId) ?? [],
    }
  })
}
