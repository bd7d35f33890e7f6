import {statSync} from 'node:fs'
import {basename, join} from 'node:path'
import type {Table} from 'apache-arrow'
import type {RunDatabase} from '../engine/run-database.js'
import {type RunData, readRun} from '../readers/run/read-run.js'
import type {RunFollower} from './run-follower.js'
import {parseTrainerLogFile, TrainerParser} from '../readers/trainer/trainer-parser.js'
import {trainerTables, TRAINER_TABLE_COLUMNS} from '../readers/trainer/trainer-tables.js'
import type {TrainerEvents} from '../readers/trainer/types.js'
import {samplesFromWandbTables} from '../readers/trainer/wandb-table-samples.js'
import {InputError} from '../readers/wandb/errors.js'
import {TableBuilder} from '../arrow/table-builder.js'
import {HISTORY_COLUMNS, RUNS_COLUMNS, SUMMARY_COLUMNS} from '../readers/run/run-tables.js'
import type {RunInfo} from './types.js'

/** What one run contributed to the database. */
export interface RunEvidence {
  runId: string
  info: RunInfo
  warnings: string[]
  /** The console lines the run's `.wandb` holds (0 when none or when --stdout replaced them). */
  consoleLines: number
}

/** Tables every run gets, so the metric views always find them (empty when a run has no such evidence). */
const WANDB_TABLES = {runs: RUNS_COLUMNS, history: HISTORY_COLUMNS, summary: SUMMARY_COLUMNS}

function isWandbLog(path: string): boolean {
  try {
    const st = statSync(path)
    if (st.isDirectory()) return true
    return path.endsWith('.wandb')
  } catch {
    throw new InputError(path, 'no such file or directory')
  }
}

/**
 * Reads one run (a run directory, a `.wandb` file, or a plain trainer log) and the optional trainer stdout log,
 * and appends all their raw events to the database's tables, tagged with the run id.
 * With `--stdout`, that log replaces the console stored in the `.wandb` (they are normally the same text).
 */
export async function loadRunEvidence(
  db: RunDatabase,
  runPath: string,
  stdoutPath?: string,
  takenIds: ReadonlySet<string> = new Set(),
  follower?: RunFollower,
): Promise<RunEvidence> {
  return appendRunEvidence(db, await collectRunEvidence(runPath, stdoutPath, follower), takenIds)
}

/** One run's raw events as Arrow tables, before they go into a database (what a worker thread sends back). */
export interface CollectedEvidence {
  runId: string
  info: RunInfo
  warnings: string[]
  consoleLines: number
  tables: Record<string, Table>
}

/** Reads one run and its optional stdout log into Arrow tables (no database involved: this can run in a worker). */
export async function collectRunEvidence(runPath: string, stdoutPath?: string, follower?: RunFollower): Promise<CollectedEvidence> {
  const warnings: string[] = []
  const sources: string[] = []
  let events: TrainerEvents | null = null
  let tableSamples: TrainerEvents['samples'] = []
  let info: RunInfo
  let runId: string
  const wandbTables: Record<string, Table> = {}
  let consoleLines = 0

  if (isWandbLog(runPath)) {
    const parser = stdoutPath ? null : new TrainerParser({origin: 'wandb_console'})
    let data: RunData
    if (follower) {
      const snap = follower.snapshot()
      data = snap.data
      if (parser) for (const line of snap.lines) parser.push(line)
      consoleLines = snap.lines.length
    } else {
      data = readRun(runPath, {
        tables: ['history', 'summary', 'media'],
        onConsoleLine: parser
          ? (line) => {
              parser.push(line.text)
              consoleLines++
            }
          : undefined,
      })
    }
    warnings.push(...data.warnings)
    runId = data.overview.id ?? basename(runPath)
    sources.push(data.location.logFile)
    Object.assign(wandbTables, {runs: data.tables.runs, history: data.tables.history!, summary: data.tables.summary!})
    if (parser) events = parser.finish()
    const refs = tableRefs(data.tables.media!)
    if (refs.length > 0 && data.location.dir) {
      const filesDir = join(data.location.dir, 'files')
      const t = samplesFromWandbTables(refs, filesDir)
      tableSamples = t.samples
      warnings.push(...t.warnings)
      sources.push(`${filesDir}/media/table (${refs.length} table(s))`)
    }
    info = {
      id: data.overview.id,
      name: data.overview.name,
      project: data.overview.project,
      state: data.overview.state,
      exit_code: data.overview.exit_code,
      steps: data.overview.steps,
      wandb_version: data.overview.wandb_version,
      sources,
    }
    if (data.overview.state === 'crashed')
      warnings.push(`${data.location.logFile}: the run crashed or was killed (no exit record); its last step may be incomplete`)
    else if (data.overview.state === 'failed') warnings.push(`${data.location.logFile}: the run failed (exit code ${data.overview.exit_code})`)
  } else {
    events = await parseTrainerLogFile(runPath)
    runId = basename(runPath).replace(/\.(log|txt|out)$/, '')
    sources.push(runPath)
    const steps = new Set(events.steps.map((s) => s.step))
    info = {id: runId, name: null, project: null, state: 'unknown', exit_code: null, steps: steps.size, wandb_version: null, sources}
    const runs = new TableBuilder(RUNS_COLUMNS)
    runs.append({run_id: runId, log_file: runPath, state: 'unknown', steps: steps.size, bytes: events.bytes ?? null})
    wandbTables.runs = runs.finish()
  }
  if (stdoutPath) {
    events = await parseTrainerLogFile(stdoutPath)
    sources.push(stdoutPath)
  }
  if (events && consoleLines > 0 && events.samples.length + events.stepTallies.length + events.apiCalls.length > 0)
    sources.splice(1, 0, `${sources[0]} (console: ${consoleLines} lines)`)

  const merged: TrainerEvents = events ?? new TrainerParser().finish()
  if (tableSamples.length > 0) merged.samples = [...merged.samples, ...tableSamples]
  const tables: Record<string, Table> = {}
  for (const [name, spec] of Object.entries(WANDB_TABLES)) tables[name] = wandbTables[name] ?? new TableBuilder(spec).finish()
  Object.assign(tables, trainerTables(merged))
  warnings.push(...groupedWarnings(merged.warnings))
  return {runId, info, warnings, consoleLines, tables}
}

/** Appends collected evidence to the database's tables, tagged with a run id unique among `takenIds`. */
export async function appendRunEvidence(db: RunDatabase, ev: CollectedEvidence, takenIds: ReadonlySet<string> = new Set()): Promise<RunEvidence> {
  // The same run given twice, or the parts of a resumed run (same id in several folders), stay apart.
  let runId = ev.runId
  if (takenIds.has(runId)) {
    let n = 2
    while (takenIds.has(`${runId}#${n}`)) n++
    runId = `${runId}#${n}`
  }
  for (const name of [...Object.keys(WANDB_TABLES), ...Object.keys(TRAINER_TABLE_COLUMNS)]) await appendTable(db, name, ev.tables[name], runId)
  return {runId, info: ev.info, warnings: ev.warnings, consoleLines: ev.consoleLines}
}

function tableRefs(media: Table): Array<{step: number; key: string; path: string}> {
  const out: Array<{step: number; key: string; path: string}> = []
  for (let i = 0; i < media.numRows; i++) {
    const row = media.get(i)!
    if (row.type === 'table-file' && row.origin === 'history' && typeof row.path === 'string')
      out.push({step: Number(row.step), key: String(row.key), path: row.path})
  }
  return out
}

const quote = (s: string) => `"${s.replace(/"/g, '""')}"`

/** Appends an Arrow table to `name`, with a leading `run_id` column (creates the table on first use). */
async function appendTable(db: RunDatabase, name: string, table: Table, runId: string): Promise<void> {
  const staging = `_staging_${name}`
  // The run id is one constant per run: it is added in SQL, not loaded value by value.
  const cols = table.schema.fields.map((f) => f.name).filter((n) => n !== 'run_id')
  const staged = await db.stage(staging, table.select(cols))
  const exprs = staged.columns.map((c) => `${c.expr} AS ${quote(c.name)}`)
  const select = `SELECT '${runId.replace(/'/g, "''")}'::VARCHAR AS run_id, ${exprs.join(', ')} FROM ${quote(staging)}`
  const exists = await db.query(`SELECT 1 FROM duckdb_tables() WHERE table_name = '${name}' AND schema_name = 'main'`)
  if (exists.length === 0) await db.run(`CREATE TABLE ${quote(name)} AS ${select}`)
  else await db.run(`INSERT INTO ${quote(name)} ${select}`)
  await db.run(`DROP TABLE ${quote(staging)}`)
}

/** Stdout warnings, one line per kind when a kind repeats (a long log can hold thousands of the same warning). */
function groupedWarnings(list: TrainerEvents['warnings']): string[] {
  const byKind = new Map<string, TrainerEvents['warnings']>()
  for (const w of list) {
    const k = byKind.get(w.kind)
    if (k) k.push(w)
    else byKind.set(w.kind, [w])
  }
  const out: string[] = []
  for (const [kind, ws] of byKind) {
    const first = ws[0]
    const at = first.line ? ` at line ${first.line}` : ''
    if (kind === 'traceback') out.push(`${ws.length} Python traceback(s) in stdout (first${at}: ${first.message})`)
    else if (ws.length === 1) out.push(first.message)
    else out.push(`${ws.length} stdout warnings of kind ${kind} (first${at}: ${first.message})`)
  }
  return out
}
