import {describe, expect, it} from 'vitest'
import Export from '../../src/commands/export.js'
import Query from '../../src/commands/query.js'
import {EXPORTED_TABLES} from '../../src/export/export-parquet.js'
import {EVIDENCE_TABLES, TRAINER_TABLE_NAMES, emptyEvidenceTable} from '../../src/ingest/evidence-tables.js'
import {HISTORY_COLUMNS, RUNS_COLUMNS, SUMMARY_COLUMNS} from '../../src/readers/run/run-tables.js'
import {TRAINER_TABLE_COLUMNS} from '../../src/readers/trainer/trainer-tables.js'

const LISTED =
  'runs, history, summary, steps, samples, judge_events, api_calls, step_tallies, collector_summaries, step_metrics, warnings'

describe('the raw-event tables, listed once', () => {
  it('are the wandb log’s tables, then the trainer’s, in the order the commands list them', () => {
    expect(EVIDENCE_TABLES).toEqual(['runs', 'history', 'summary', ...Object.keys(TRAINER_TABLE_COLUMNS)])
    expect(EVIDENCE_TABLES.join(', ')).toBe(LISTED)
    expect([...TRAINER_TABLE_NAMES]).toEqual(Object.keys(TRAINER_TABLE_COLUMNS))
  })

  it('are what export writes and what the export and query descriptions name', () => {
    expect(EXPORTED_TABLES).toEqual(EVIDENCE_TABLES)
    expect(Export.description).toContain(`for the raw-event tables (${LISTED}).`)
    expect(Query.description).toContain(`Tables: ${LISTED} (all with a run_id column)`)
  })

  it('each has an empty table with its columns, made once; an unknown name is an error', () => {
    const specs: Record<string, object> = {runs: RUNS_COLUMNS, history: HISTORY_COLUMNS, summary: SUMMARY_COLUMNS}
    Object.assign(specs, TRAINER_TABLE_COLUMNS)
    for (const name of EVIDENCE_TABLES) {
      const table = emptyEvidenceTable(name)
      expect(table.numRows, name).toBe(0)
      expect(
        table.schema.fields.map((f) => f.name),
        name,
      ).toEqual(Object.keys(specs[name]))
      expect(emptyEvidenceTable(name), name).toBe(table)
    }
    expect(() => emptyEvidenceTable('chosen_samples')).toThrow('no evidence table named chosen_samples')
  })
})
