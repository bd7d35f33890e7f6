import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {specialFileKind} from '../input-file.js'
import {CORRECT_THRESHOLD, type JudgeStatus, type SampleRow, type Split, type Verdict} from './types.js'

export interface TableFileRef {
  /** History step the table was logged at. */
  step: number
  /** History key, e.g. `samples` or `val_samples`. */
  key: string
  /** Path relative to the run's `files/` directory, e.g. `media/table/samples_1_2686….table.json`. */
  path: string
}

const STATUSES: readonly string[] = ['success', 'parse_failure', 'api_failure']

/** Where the samples of a Table file go: an array, or anything that takes them one at a time. */
export interface SampleSink {
  push(sample: SampleRow): unknown
}

/**
 * Per-sample events from the wandb Tables a run logged (history values with `_type: "table-file"`).
 * A table file is `{"columns": [...], "data": [[...], ...]}`; columns are matched by name (step, split, sample_id,
 * source, problem_type, correctness, reward, cost, executor_calls, judge_calls, judge_status, verdict). A missing or
 * corrupt file is a warning, never a throw.
 */
export function samplesFromWandbTables(
  refs: Array<TableFileRef>,
  filesDir: string,
): {samples: SampleRow[]; warnings: string[]} {
  const samples: SampleRow[] = []
  const warnings: string[] = []
  for (const ref of refs) readTableSamples(ref, filesDir, samples, warnings)
  return {samples, warnings}
}

/** The samples of one Table file, pushed to `out` in its rows' order; what is wrong with it goes to `warnings`. */
export function readTableSamples(ref: TableFileRef, filesDir: string, out: SampleSink, warnings: string[]): void {
  const file = join(filesDir, ref.path)
  let parsed: unknown
  const special = specialFileKind(file)
  if (special) {
    warnings.push(`${ref.key} table of step ${ref.step}: ${file} is ${special}: skipped (never opened)`)
    return
  }
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    warnings.push(
      code === 'ENOENT'
        ? `${ref.key} table of step ${ref.step}: ${file} is missing`
        : `${ref.key} table of step ${ref.step}: ${file} cannot be read (${code ?? (error as Error).message})`,
    )
    return
  }
  const t = parsed as {columns?: unknown; data?: unknown}
  if (!t || !Array.isArray(t.columns) || !Array.isArray(t.data)) {
    warnings.push(`${ref.key} table of step ${ref.step}: ${file} is not a wandb table (no columns/data)`)
    return
  }
  const col = columnIndices(t.columns)
  const defaultSplit: Split = ref.key.startsWith('val') || ref.key.includes('/val') ? 'val' : 'train'
  const bad = pushSamples(out, t.data, col, ref.step, defaultSplit)
  if (bad > 0) {
    warnings.push(`${ref.key} table of step ${ref.step}: ${file}: ${bad} rows are not arrays and were skipped`)
  }
}

/** Where each column the samples use is in a row (-1: not in the table); a repeated name means its last column. */
type ColumnIndices = Record<(typeof SAMPLE_COLUMNS)[number], number>

const SAMPLE_COLUMNS = [
  'step',
  'split',
  'sample_id',
  'source',
  'problem_type',
  'correctness',
  'reward',
  'cost',
  'executor_calls',
  'judge_calls',
  'judge_status',
  'verdict',
] as const

function columnIndices(columns: unknown[]): ColumnIndices {
  const col = new Map<string, number>()
  columns.forEach((c, i) => col.set(String(c), i))
  const out = {} as ColumnIndices
  for (const name of SAMPLE_COLUMNS) out[name] = col.get(name) ?? -1
  return out
}

/** The cell of column `j` (-1: the table has no such column); a missing cell is null. */
function cell(row: unknown[], j: number): unknown {
  return j < 0 ? null : (row[j] ?? null)
}

/** A sample for each row of a table's data; returns how many rows are not arrays (skipped). */
function pushSamples(out: SampleSink, data: unknown[], col: ColumnIndices, step: number, defaultSplit: Split): number {
  let bad = 0
  for (let i = 0; i < data.length; i++) {
    const row = data[i]
    if (!Array.isArray(row)) {
      bad++
      continue
    }
    const correctness = num(cell(row, col.correctness))
    const splitValue = str(cell(row, col.split))
    const status = str(cell(row, col.judge_status))
    const source = str(cell(row, col.source))
    const sampleId = str(cell(row, col.sample_id))
    const cost = num(cell(row, col.cost))
    const judgeCalls = cell(row, col.judge_calls)
    out.push({
      step: num(cell(row, col.step)) ?? step,
      split: splitValue === 'val' || splitValue === 'train' ? splitValue : defaultSplit,
      sample_id: sampleId,
      group_id: sampleId && /^S\d+-/.test(sampleId) ? sampleId.slice(0, sampleId.indexOf('-')) : null,
      source,
      source_from: source === null ? null : 'wandb_table',
      problem_type: str(cell(row, col.problem_type)),
      correctness,
      correct: correctness === null ? null : correctness >= CORRECT_THRESHOLD,
      reward: num(cell(row, col.reward)),
      cost,
      cost_from: cost === null ? null : 'wandb_table',
      reported_cost: null,
      elapsed_s: null,
      exec_failed: status === null && num(judgeCalls) === 0,
      executor_calls: int(cell(row, col.executor_calls)),
      judge_calls: int(judgeCalls),
      judge_status: status !== null && STATUSES.includes(status) ? (status as JudgeStatus) : null,
      verdict: verdictOf(cell(row, col.verdict)),
      origin: 'wandb_table',
      line: i + 1,
    })
  }
  return bad
}

function num(v: unknown): number | null {
  if (typeof v === 'number') return v
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v)
  return null
}

function int(v: unknown): number | null {
  const n = num(v)
  return n === null ? null : Math.trunc(n)
}

function str(v: unknown): string | null {
  if (v === null || v === undefined) return null
  // A cell that is a JSON object or array keeps the text String() has always given it; these columns hold scalars.
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- intended, as said above
  return String(v)
}

function verdictOf(v: unknown): Verdict | null {
  if (v === true || v === 'correct' || v === 'True' || v === 'true') return 'correct'
  if (v === false || v === 'incorrect' || v === 'False' || v === 'false') return 'incorrect'
  return null
}
