import {describe, expect, it} from 'vitest'
import {RunDatabase} from '../../src/engine/run-database.js'
import {RunTableLoader} from '../../src/engine/run-table-loader.js'
import {EVIDENCE_TABLES, emptyEvidenceTable} from '../../src/ingest/evidence-tables.js'
import {createMetricViews} from '../../src/metrics/metric-views.js'

describe('createMetricViews', () => {
  it('materializes once what several summary queries read (tables), and leaves the rest views', async () => {
    const db = await RunDatabase.open()
    try {
      // every evidence table, empty, as a run without rows leaves them
      const loader = new RunTableLoader(db, 'r')
      for (const name of EVIDENCE_TABLES) await loader.stage(name, emptyEvidenceTable(name))
      await loader.commit()
      await createMetricViews(db)
      const kinds = await db.query(
        `SELECT table_name AS name, 'TABLE' AS kind FROM duckdb_tables() WHERE schema_name = 'main'
         UNION ALL SELECT view_name, 'VIEW' FROM duckdb_views() WHERE schema_name = 'main' AND NOT internal`,
      )
      const kindOf = new Map(kinds.map((r) => [String(r.name), String(r.kind)]))
      // each read by two or more of the summary's queries (the judge figures by the judge figures, the counter checks and
      // the diagnosis; the dataset figures by the dataset and split figures and the diagnosis), or (the dataset keys)
      // costly as a view: the planner pushes its regular expressions down into the scan of every logged value
      const tables = [
        'chosen_samples',
        'step_datasets',
        'dataset_keys',
        'judge_figures',
        'cost_all_zero',
        'dataset_figures',
      ]
      for (const name of tables) expect(kindOf.get(name), name).toBe('TABLE')
      for (const name of ['judge_candidates', 'cost_figures', 'split_figures', 'dataset_checks'])
        expect(kindOf.get(name), name).toBe('VIEW')
      expect(await db.query('SELECT count(*)::INT AS n FROM dataset_figures')).toEqual([{n: 0}])
    } finally {
      db.close()
    }
  })
})
