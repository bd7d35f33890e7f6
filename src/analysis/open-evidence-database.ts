import type {RunDatabase} from '../engine/run-database.js'
import {EVIDENCE_TABLES} from '../ingest/evidence-tables.js'

/**
 * A `--db` file not made by runlog is refused untouched. DuckDB is imported here, so its library loads while the
 * first run is read.
 */
export async function openEvidenceDatabase(file?: string): Promise<RunDatabase> {
  const [{RunDatabase}, {CREATE_META_SQL, checkDatabaseFile}] = await Promise.all([
    import('../engine/run-database.js'),
    import('../engine/database-file.js'),
  ])
  const kind = file ? await checkDatabaseFile(file) : 'new'
  const db = await RunDatabase.open(file)
  try {
    // One thread: with several, DuckDB adds floating-point values in whatever order its threads finish, and a sum could
    // differ in its last bit from one run to the next. It also loads the tables faster while another core parses.
    await db.run('SET threads = 1')
    if (kind === 'runlog') await db.keepRuns(EVIDENCE_TABLES)
    else {
      for (const t of EVIDENCE_TABLES) await db.dropTable(t)
      if (file) await db.run(CREATE_META_SQL)
    }
    return db
  } catch (error) {
    db.close()
    throw error
  }
}
