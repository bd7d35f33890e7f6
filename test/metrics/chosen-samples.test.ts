import {describe, expect, it} from 'vitest'
import {RunDatabase} from '../../src/engine/run-database.js'
import {RunTableLoader} from '../../src/engine/run-table-loader.js'
import {EVIDENCE_TABLES, emptyEvidenceTable} from '../../src/ingest/evidence-tables.js'
import {createMetricViews} from '../../src/metrics/metric-views.js'

/** chosen_samples as first written (correlated NOT EXISTS): the rows it must keep, in the same order. */
const REFERENCE = `
  WITH table_steps AS (SELECT DISTINCT run_id, step, split FROM samples WHERE origin = 'wandb_table')
  SELECT s.sample_id FROM samples s
  WHERE s.origin = 'wandb_table'
     OR (NOT EXISTS (
           SELECT 1 FROM table_steps t WHERE t.run_id = s.run_id AND t.step = s.step AND t.split = s.split)
         AND NOT (s.split = 'train' AND EXISTS (
           SELECT 1 FROM incomplete_steps i WHERE i.run_id = s.run_id AND i.step = s.step)))`

describe('chosen_samples', () => {
  it('keeps a Table’s rows over stdout’s, and leaves out a cut-off step’s training samples; null keys match nothing', async () => {
    const db = await RunDatabase.open()
    try {
      const loader = new RunTableLoader(db, 'r1')
      for (const name of EVIDENCE_TABLES) await loader.stage(name, emptyEvidenceTable(name))
      await loader.commit()
      // run, step, split, origin, sample id (the expected ones end in +)
      const rows: Array<[string, number | null, string | null, string, string]> = [
        ['r1', 1, 'train', 'stdout', 'a-'],
        ['r1', 1, 'train', 'wandb_table', 'b+'],
        ['r1', 1, 'val', 'stdout', 'c+'],
        ['r1', null, 'train', 'wandb_table', 'd+'],
        ['r1', null, 'train', 'stdout', 'e+'],
        ['r1', 2, null, 'wandb_table', 'f+'],
        ['r1', 2, null, 'stdout', 'g+'],
        ['r1', 3, 'train', 'stdout', 'h-'],
        ['r1', 3, 'val', 'stdout', 'i+'],
        ['r2', 1, 'train', 'stdout', 'j+'],
        ['r2', 3, 'train', 'stdout', 'k+'],
        ['r1', 2, 'train', 'stdout', 'l+'],
        ['r1', null, null, 'stdout', 'm+'],
      ]
      const literal = (v: string | number | null) => (v === null ? 'NULL' : typeof v === 'number' ? v : `'${v}'`)
      const values = rows.map((r) => `(${r.map(literal).join(', ')})`).join(', ')
      await db.run(
        `INSERT INTO samples BY NAME SELECT * FROM (VALUES ${values}) v(run_id, step, split, origin, sample_id)`,
      )
      // step 3 of r1 was cut off (not complete), and a step without a number
      await db.run(
        `INSERT INTO steps BY NAME SELECT * FROM (VALUES ('r1', 3, FALSE), ('r1', NULL, FALSE), ('r1', 1, TRUE))
         v(run_id, step, complete)`,
      )
      await createMetricViews(db)
      const chosen = (await db.query('SELECT sample_id FROM chosen_samples')).map((r) => String(r.sample_id))
      expect(chosen).toEqual(rows.map((r) => r[4]).filter((id) => id.endsWith('+')))
      expect(chosen).toEqual((await db.query(REFERENCE)).map((r) => String(r.sample_id)))
    } finally {
      db.close()
    }
  })
})
