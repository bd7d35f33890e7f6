import type {Table} from 'apache-arrow'
import {type TrainerTableName, trainerTables} from '../../readers/trainer/trainer-tables.js'
import type {SettledBatch, TrainerEvents, WarningRow} from '../../readers/trainer/types.js'

/** The trainer tables of a run's stdout, with what the warnings and sources need. */
export interface ParsedTrainer {
  tables: Record<TrainerTableName, Table>
  warnings: WarningRow[]
  /** samples + step tallies + API calls found in stdout (0: the console held no trainer output). */
  evidence: number
  /** Lines parsed. */
  lines: number
}

/** Samples + step tallies + API calls: the events that make figures (0: no trainer output was found). */
export function evidenceCount(events: SettledBatch): number {
  return events.samples.length + events.stepTallies.length + events.apiCalls.length
}

export function parsedFromEvents(events: TrainerEvents): ParsedTrainer {
  const evidence = evidenceCount(events)
  return {tables: trainerTables(events), warnings: events.warnings, evidence, lines: events.lines}
}

/** `last`: no more parts of this table follow, so it can be written while the others still come. */
export type TableSink = (name: TrainerTableName, table: Table, last?: boolean) => Promise<void>

export type ParseOutcome = Omit<ParsedTrainer, 'tables'>

/** A run's console records in (undecoded `OutputRecord` bytes, in file order), trainer tables out. */
export interface ConsoleParsing {
  /** One console record; the bytes are only valid during the call. */
  pushRecord(body: Uint8Array): void
  /** No more records: a worker can finish parsing and build its tables while this thread does other work. */
  end(): void
  /** Hands every trainer table to `onTable`, in turn; resolves once all are in (calls `end` if needed). */
  finish(onTable: TableSink): Promise<ParseOutcome>
}

/** Hands parsed tables to a sink, one after the other, each as the last part of its table. */
export async function handOver(parsed: ParsedTrainer, onTable: TableSink): Promise<ParseOutcome> {
  for (const [name, table] of Object.entries(parsed.tables)) await onTable(name as TrainerTableName, table, true)
  return {warnings: parsed.warnings, evidence: parsed.evidence, lines: parsed.lines}
}
