import {parseTrainerLogFile} from '../../readers/trainer/trainer-parser.js'
import {type TablePart, settledParts} from '../../readers/trainer/trainer-tables.js'
import type {SettledBatch, TrainerEvents} from '../../readers/trainer/types.js'
import type {ReadProgress} from '../../readers/read-progress.js'
import {type ParseOutcome, type ParsedTrainer, type TableSink, evidenceCount, handOver} from './types.js'

/**
 * Rows (samples, judge events, API calls, step tallies, collector summaries, step metrics) the worker holds before it
 * writes its finished steps out as table parts. The 130 MB benchmark run has 356,000 such rows in all (~120 MB of the
 * worker's heap), the 1 GB run ~2.7 million. At 400,000 the 130 MB run was parsed whole and its peak was 460–520 MiB
 * (the worker's heap at its fullest while the log's tables went into DuckDB); at 100,000 (with DuckDB's 128 MB) it is
 * 390–435 MiB, and the 1 GB run's 568 MiB instead of ~1 GiB, for ~0.5 s more on the 130 MB run: the worker, which the
 * reading thread waits for, writes its parts while the log is read instead of after.
 */
const SETTLE_ROWS = 100_000

/** `SETTLE_ROWS`, or the `RUNLOG_SETTLE_ROWS` environment variable. */
export function settleRowsSetting(): number {
  return Number(process.env.RUNLOG_SETTLE_ROWS) || SETTLE_ROWS
}

/**
 * A trainer log file parsed with the events of its finished steps built into Arrow table parts as it goes (rows take
 * several times less memory as Arrow than as JS objects: a 697 MB log's `summarize` peaked at 1.55 GB parsed whole,
 * 0.92 GB in parts). With `onPart`, each part is handed to it as it is built (and awaited before the parsing goes on),
 * and `parts` stays empty: a part let go once it is in the database keeps the memory of a big log flat.
 */
export async function parseLogFileInParts(
  path: string,
  opts: {settleRows?: number; onProgress?: ReadProgress; onPart?: TableSink; origin?: string; sniff?: boolean} = {},
): Promise<{events: TrainerEvents; parts: TablePart[]; evidence: number}> {
  const {onPart} = opts
  const parts: TablePart[] = []
  let evidence = 0
  const settled = {
    rows: opts.settleRows ?? settleRowsSetting(),
    async onBatch(batch: SettledBatch) {
      evidence += evidenceCount(batch)
      if (!onPart) parts.push(...settledParts(batch))
      else for (const part of settledParts(batch)) await onPart(part.name, part.table)
    },
  }
  const {onProgress, origin, sniff} = opts
  const events = await parseTrainerLogFile(path, {settled, onProgress, origin, sniff})
  return {events, parts, evidence}
}

/** Hands parts of finished steps to a sink, then the tables of the rest (each table's rows in log order). */
export async function handOverInParts(
  parts: TablePart[],
  rest: ParsedTrainer,
  partsEvidence: number,
  onTable: TableSink,
): Promise<ParseOutcome> {
  // Let go of each part once it is handed over.
  for (let part = parts.shift(); part !== undefined; part = parts.shift()) await onTable(part.name, part.table)
  const outcome = await handOver(rest, onTable)
  return {...outcome, evidence: outcome.evidence + partsEvidence}
}
