import type {ReadProgress} from '../readers/read-progress.js'
import {
  type ParseOutcome,
  type TableSink,
  handOverInParts,
  parseLogFileInParts,
  parsedFromEvents,
} from './console-parsing.js'

/** Finished steps' tables go to `onTable` as parsed; none is kept. */
export async function parseLogFile(
  file: string,
  onTable: TableSink,
  opts: {onProgress?: ReadProgress; origin?: string; sniff?: boolean} = {},
): Promise<{outcome: ParseOutcome; steps: number}> {
  const {events, parts, evidence} = await parseLogFileInParts(file, {...opts, onPart: onTable})
  const steps = new Set(events.steps.map((s) => s.step)).size
  return {outcome: await handOverInParts(parts, parsedFromEvents(events), evidence, onTable), steps}
}
