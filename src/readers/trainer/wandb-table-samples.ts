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
  for (const ref of refs) {
    const file = join(filesDir, ref.path)
    let parsed: unknown
    const special = specialFileKind(file)
    if (special) {
      warnings.push(`${ref.key} table of step ${ref.step}: ${file} is ${special}: skipped (never opened)`)
      continue
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
      continue
    }
    const t = parsed as {columns?: unknown; data?: unknown}
    if (!t || !Array.isArray(t.columns) || !Array.isArray(t.data)) {
      warnings.push(`${ref.key} table of step ${ref.step}: ${file} is not a wandb table (no columns/data)`)
      continue
    }
    const col = new Map<string, number>()
    t.columns.forEach((c, i) => col.set(String(c), i))
    const defaultSplit: Split = ref.key.startsWith('val') || ref.key.includes('/val') ? 'val' : 'train'
    let bad = 0
    t.data.forEach((row, i) => {
      if (!Array.isArray(row)) {
        bad++
        return
      }
      const get = (name: string): unknown => {
        const j = col.get(name)
        return j === undefined ? null : (row[j] ?? null)
      }
      const correctness = num(get('correctness'))
      const splitValue = str(get('split'))
      const status = str(get('judge_status'))
      const source = str(get('source'))
      const sampleId = str(get('sample_id'))
      samples.push({
        step: num(get('step')) ?? ref.step,
        split: splitValue === 'val' || splitValue === 'train' ? splitValue : defaultSplit,
        sample_id: sampleId,
        group_id: sampleId && /^S\d+-/.test(sampleId) ? sampleId.slice(0, sampleId.indexOf('-')) : null,
        source,
        source_from: source === null ? null : 'wandb_table',
        problem_type: str(get('problem_type')),
        correctness,
        correct: correctness === null ? null : correctness >= CORRECT_THRESHOLD,
        reward: num(get('reward')),
        cost: num(get('cost')),
        cost_from: num(get('cost')) === null ? null : 'wandb_table',
        reported_cost: null,
        elapsed_s: null,
        exec_failed: status === null && num(get('judge_calls')) === 0,
        executor_calls: int(get('executor_calls')),
        judge_calls: int(get('judge_calls')),
        judge_status: status !== null && STATUSES.includes(status) ? (status as JudgeStatus) : null,
        verdict: verdictOf(get('verdict')),
        origin: 'wandb_table',
        line: i + 1,
      })
    })
    if (bad > 0) {
      warnings.push(`${ref.key} table of step ${ref.step}: ${file}: ${bad} rows are not arrays and were skipped`)
    }
  }
  return {samples, warnings}
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
