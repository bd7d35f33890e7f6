import type {RunDatabase} from '../engine/run-database.js'
import type {RunEvidence} from '../ingest/run-evidence.js'
import {type LoadedRuns, type RunFailure, loadAll} from '../ingest/parallel-evidence.js'
import {createMetricViews} from './metric-views.js'
import {summarizeRuns, summarySeries} from './summarize-run.js'
import {efficiencyOf} from './efficiency.js'
import {compareSummaries} from './compare-runs.js'
import {
  type CompareResult,
  DEFAULT_DIAGNOSIS,
  type DiagnosisOptions,
  type EfficiencyResult,
  type Summary,
  type SummarySeries,
} from './types.js'
import type {RunInput} from '../ingest/run-input.js'

/**
 * A new database, or the `--db` file: a new file is marked as runlog's; runlog's own file keeps the runs of earlier
 * invocations (a run loaded again replaces its rows); any other file is refused untouched (`checkDatabaseFile`).
 */
async function openEvidenceDatabase(file?: string): Promise<RunDatabase> {
  const [{RunDatabase}, {CREATE_META_SQL, checkDatabaseFile}] = await Promise.all([
    import('../engine/run-database.js'),
    import('../engine/database-file.js'),
  ])
  const kind = file ? await checkDatabaseFile(file) : 'new'
  const db = await RunDatabase.open(file)
  try {
    // One thread. For the figures: DuckDB adds floating-point values in whatever order its threads finish, so with
    // several threads a sum could differ in its last bit from one run to the next. For loading too: on the 130 MB
    // benchmark run's tables (2 cores, the other one parsing the console), one thread wrote them 1.3–2× faster.
    await db.run('SET threads = 1')
    if (kind === 'runlog') await db.keepRuns(EVIDENCE_TABLES)
    else {
      for (const t of EVIDENCE_TABLES) await db.dropTable(t)
      if (file) await db.run(CREATE_META_SQL)
    }
    return db
  } catch (error) {
    db.close()
    throw error
  }
}

const EVIDENCE_TABLES = ['runs', 'history', 'summary', 'steps', 'samples', 'judge_events', 'api_calls', 'step_tallies', 'collector_summaries', 'step_metrics', 'warnings']

/** One DuckDB database holding the raw events of the given runs and the metric views over them. */
export type {RunInput}

export class Analysis {
  private constructor(
    readonly db: RunDatabase,
    /** The runs read, in input order. */
    readonly runs: RunEvidence[],
    /** The position among the inputs of each run read. */
    readonly inputIndex: number[],
    /** The inputs that could not be read (only with `skipUnreadable`). */
    readonly failures: RunFailure[],
  ) {}

  /**
   * Loads every run (in order) into one database — in memory, or in `dbFile` to keep for `runlog query` / DuckDB.
   * With `skipUnreadable` (commands over several runs), a run that cannot be read is skipped and listed in
   * `failures`; otherwise its error is thrown.
   */
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
      opening.then((db) => db.close(), () => {})
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
