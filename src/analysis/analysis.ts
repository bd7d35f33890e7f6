import type {RunDatabase} from '../engine/run-database.js'
import type {RunEvidence} from '../ingest/evidence-types.js'
import {type LoadedRuns, type RunFailure, loadAll} from '../ingest/parallel-evidence.js'
import type {RunInput} from '../ingest/run-input.js'
import {compareSummaries} from '../metrics/compare-runs.js'
import {efficiencyOf} from '../metrics/efficiency.js'
import {createMetricViews} from '../metrics/metric-views.js'
import {summarizeRuns} from '../metrics/summarize-run.js'
import {summarySeries} from '../metrics/summary-series.js'
import {
  type CompareResult,
  DEFAULT_DIAGNOSIS,
  type DiagnosisOptions,
  type EfficiencyResult,
  type Summary,
  type SummarySeries,
} from '../metrics/types.js'
import {openEvidenceDatabase} from './open-evidence-database.js'

export type {RunInput}

/** The raw events of the runs (`ingest`) and the metric views over them (`metrics`), in one DuckDB database. */
export class Analysis {
  private constructor(
    readonly db: RunDatabase,
    /** The runs read, in input order. */
    readonly runs: RunEvidence[],
    readonly inputIndex: number[],
    /** The inputs that could not be read (only with `skipUnreadable`). */
    readonly failures: RunFailure[],
  ) {}

  /** With `skipUnreadable`, a run that cannot be read is listed in `failures`; otherwise its error is thrown. */
  static async open(
    inputs: RunInput[],
    opts: {dbFile?: string; onProgress?: (done: number, total: number) => void; skipUnreadable?: boolean} = {},
  ): Promise<Analysis> {
    // DuckDB is loaded and opened while the first run is read (it is not needed before its tables are).
    const opening = openEvidenceDatabase(opts.dbFile)
    // Its failure (a bad --db file) is reported when it is awaited, not as an unhandled rejection meanwhile.
    opening.catch(() => {})
    let loaded: LoadedRuns
    try {
      loaded = await loadAll(opening, inputs, opts.onProgress, {skipUnreadable: opts.skipUnreadable})
    } catch (error) {
      opening.then(
        (db) => db.close(),
        () => {},
      )
      throw error
    }
    const db = await opening
    try {
      // Over tables no run created there is nothing to view (every run was skipped).
      if (loaded.runs.length > 0) await createMetricViews(db)
      return new Analysis(db, loaded.runs, loaded.inputIndex, loaded.failures)
    } catch (error) {
      db.close()
      throw error
    }
  }

  async summary(i = 0, diagnosis: DiagnosisOptions = DEFAULT_DIAGNOSIS): Promise<Summary> {
    const [summary] = await summarizeRuns(this.db, [this.runs[i]], diagnosis)
    return summary
  }

  /** Every run's summary, in input order (each figure queried once for all the runs). */
  summaries(diagnosis: DiagnosisOptions = DEFAULT_DIAGNOSIS): Promise<Summary[]> {
    return summarizeRuns(this.db, this.runs, diagnosis)
  }

  series(i = 0): Promise<SummarySeries> {
    return summarySeries(this.db, this.runs[i].runId)
  }

  efficiency(i = 0, window = 1): Promise<EfficiencyResult> {
    return efficiencyOf(this.db, this.runs[i].runId, window)
  }

  async compare(
    diagnosis: DiagnosisOptions = DEFAULT_DIAGNOSIS,
  ): Promise<{compare: CompareResult; summaries: Summary[]}> {
    const summaries = await this.summaries(diagnosis)
    return {compare: compareSummaries(summaries), summaries}
  }

  close(): void {
    this.db.close()
  }
}
