import type {Table} from 'apache-arrow'
import {TableBuilder} from '../../arrow/table-builder.js'
import type {RunRecord} from '../wandb/records.js'
import type {RunOverview} from './run-data.js'
import type {RunLocation} from './locate-run.js'
import {RUNS_COLUMNS} from './run-tables.js'

/** The one-row `runs` table: the overview plus where the run lies and the run record's host, group and job type. */
export function runsTable(o: RunOverview, location: RunLocation, run: RunRecord | null): Table {
  const b = new TableBuilder(RUNS_COLUMNS)
  b.append({
    run_id: o.id,
    name: o.name,
    project: o.project,
    entity: o.entity,
    dir: location.dir,
    log_file: location.logFile,
    state: o.state,
    exit_code: o.exit_code,
    steps: o.steps,
    last_step: o.last_step,
    history_rows: o.history_rows,
    wandb_version: o.wandb_version,
    started_at: o.started_at ? Date.parse(o.started_at) : null,
    runtime_s: o.runtime_s,
    bytes: o.bytes,
    unreadable_bytes: o.unreadable_bytes,
    host: run?.host || null,
    group: run?.group || null,
    job_type: run?.jobType || null,
  })
  return b.finish()
}
