import {readFileSync, readdirSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const FIXTURES = join(ROOT, 'test', 'fixtures')
export const CORPUS = join(FIXTURES, 'corpus')
export const HISTORY_EXPECTED = join(FIXTURES, 'history-expected')
export const GRPO_SAMPLE = join(FIXTURES, 'grpo-sample')
export const GRPO_RUN = join(GRPO_SAMPLE, 'wandb', 'offline-run-20251124_010713-ieqh524y')

/** Names of the 50 runs that come with an expected `history --format jsonl` output. */
export function runsWithExpectedHistory(): string[] {
  return readdirSync(HISTORY_EXPECTED)
    .filter((n) => n.endsWith('.history.jsonl'))
    .map((n) => n.slice(0, -'.history.jsonl'.length))
    .sort()
}

export interface SourceRow {
  folder: string
  /** Exit code, or null for "none (crashed or killed)". */
  exit: number | null
  historyRecords: number
}

/**
 * The provenance tables (SOURCES.md) of the corpus and of the 50 fixtures: each run's exit code and number of history
 * records as recorded when the runs were collected (independent of runlog).
 */
export function sourceRows(): SourceRow[] {
  const rows = new Map<string, SourceRow>()
  for (const file of [join(CORPUS, 'SOURCES.md'), join(HISTORY_EXPECTED, 'SOURCES.md')]) {
    let header: string[] | null = null
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line.startsWith('|')) {
        header = null
        continue
      }
      const cells = line
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim())
      if (cells[0] === 'folder') {
        header = cells
        continue
      }
      if (!header || cells[0].startsWith('---')) continue
      const get = (name: string) => cells[header!.indexOf(name)]
      const exitText = get('exit')
      const m = /-?\d+/.exec(exitText)
      const history = get('history records') ?? get('history')
      rows.set(cells[0], {
        folder: cells[0],
        exit: exitText.startsWith('none') || !m ? null : Number(m[0]),
        historyRecords: Number(history),
      })
    }
  }
  return [...rows.values()]
}
