import {closeSync, openSync, readSync, statSync} from 'node:fs'
import {DuckDBInstance} from '@duckdb/node-api'
import {InputError} from '../errors.js'

/** The table that marks a DuckDB database as runlog's own (`--db FILE`), with the format of its tables. */
export const META_TABLE = 'runlog_meta'

/** The layout of runlog's tables in a `--db` file; a file of another format is refused, not rewritten. */
export const DB_FORMAT_VERSION = 1

export const CREATE_META_SQL = `CREATE TABLE ${META_TABLE} AS SELECT 'format_version' AS key, '${DB_FORMAT_VERSION}' AS value`

const META_EXISTS_SQL = `SELECT count(*)::INT AS n FROM duckdb_tables() WHERE table_name = '${META_TABLE}' AND schema_name = 'main'`
const FORMAT_VERSION_SQL = `SELECT value FROM ${META_TABLE} WHERE key = 'format_version'`

/** What a `--db FILE` is: no file yet, or a database runlog made (its runs are kept). Anything else is refused. */
export type DatabaseFileKind = 'new' | 'runlog'

/** A file that is not a DuckDB database runlog made (no `runlog_meta` table) holds someone's data: refused. */
export async function checkDatabaseFile(file: string): Promise<DatabaseFileKind> {
  const st = statSync(file, {throwIfNoEntry: false})
  if (!st) return 'new'
  const refuse = (why: string) => new InputError(file, `${why}; runlog leaves it untouched (give --db a new file name)`)
  if (!st.isFile()) throw refuse('not a regular file')
  if (!hasDuckdbMagic(file)) throw refuse('not a DuckDB database')
  let instance: DuckDBInstance
  try {
    instance = await DuckDBInstance.create(file, {access_mode: 'READ_ONLY'})
  } catch (error) {
    throw refuse(`cannot be opened as a DuckDB database (${(error as Error).message.split('\n')[0]})`)
  }
  try {
    const conn = await instance.connect()
    try {
      const tables = (await conn.runAndReadAll(META_EXISTS_SQL)).getRowObjectsJS()
      if (tables[0].n === 0) throw refuse('a DuckDB database runlog did not create (it has no runlog_meta table)')
      const rows = (await conn.runAndReadAll(FORMAT_VERSION_SQL)).getRowObjectsJS()
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- the format version is a VARCHAR cell
      const version = rows.length === 1 ? String(rows[0].value) : null
      if (version !== String(DB_FORMAT_VERSION))
        throw refuse(`a runlog database of format ${version ?? 'unknown'}, not ${DB_FORMAT_VERSION} (another runlog's)`)
      return 'runlog'
    } finally {
      conn.closeSync()
    }
  } finally {
    instance.closeSync()
  }
}

/** Whether the file starts as a DuckDB database does: 8 bytes of checksum, then `DUCK`. */
function hasDuckdbMagic(file: string): boolean {
  const head = Buffer.alloc(12)
  let fd: number
  try {
    fd = openSync(file, 'r')
  } catch (error) {
    throw new InputError(file, `cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`)
  }
  try {
    return readSync(fd, head, 0, 12, 0) === 12 && head.toString('latin1', 8, 12) === 'DUCK'
  } finally {
    closeSync(fd)
  }
}
