import {parseTrainerLogFile} from '../../readers/trainer/trainer-parser.js'
import {type TablePart, settledParts} from '../../readers/trainer/trainer-tables.js'
import type {SettledBatch, TrainerEvents} from '../../readers/trainer/types.js'
import type {ReadProgress} from '../../readers/read-progress.js'
import * as settings from '../../settings.js'
import {type ParseOutcome, type ParsedTrainer, type TableSink, evidenceCount, handOver} from './types.js'

/** Rows held before finished steps are written out (`RUNLOG_SETTLE_ROWS`; see src/settings.ts). */
export function settleRowsSetting(): number {
  return settings.settleRows()
}

/**
 * Finished steps become Arrow parts as it goes (far smaller than JS objects). With `onPart`, each part is handed over
 * and awaited, and `parts` stays empty, so a big log's memory stays flat.
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
