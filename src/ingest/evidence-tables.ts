import type {Table} from 'apache-arrow'
import {TableBuilder} from '../arrow/table-builder.js'
import {HISTORY_COLUMNS, RUNS_COLUMNS, SUMMARY_COLUMNS} from '../readers/run/run-tables.js'
import {TRAINER_TABLE_COLUMNS, type TrainerTableName, trainerTable} from '../readers/trainer/trainer-tables.js'

/** The tables of a run's wandb log: every run gets them, so the metric views always find them. */
export const WANDB_TABLE_COLUMNS = {runs: RUNS_COLUMNS, history: HISTORY_COLUMNS, summary: SUMMARY_COLUMNS}

type WandbTableName = keyof typeof WANDB_TABLE_COLUMNS

/** Every raw-event table a run is loaded into (all with a run_id column): the wandb log's, then the trainer's. */
export const EVIDENCE_TABLE_COLUMNS = {...WANDB_TABLE_COLUMNS, ...TRAINER_TABLE_COLUMNS}

export type EvidenceTableName = keyof typeof EVIDENCE_TABLE_COLUMNS

/** The raw-event tables, in the order the database, `export` and the command descriptions list them. */
export const EVIDENCE_TABLES = Object.keys(EVIDENCE_TABLE_COLUMNS) as readonly EvidenceTableName[]

/** The tables parsed from a trainer's stdout (a run's console). */
export const TRAINER_TABLE_NAMES: ReadonlySet<string> = new Set(Object.keys(TRAINER_TABLE_COLUMNS))

const emptyTables = new Map<string, Table>()

/** Workers send only an empty table's name: most are empty, and serializing each costs more than remaking it. */
export function emptyEvidenceTable(name: string): Table {
  let table = emptyTables.get(name)
  if (!table) {
    if (name in WANDB_TABLE_COLUMNS) table = new TableBuilder(WANDB_TABLE_COLUMNS[name as WandbTableName]).finish()
    else if (TRAINER_TABLE_NAMES.has(name)) table = trainerTable(name as TrainerTableName, [])
    else throw new Error(`no evidence table named ${name}`)
    emptyTables.set(name, table)
  }
  return table
}
