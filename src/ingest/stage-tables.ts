import type {Table} from 'apache-arrow'
import type {RunTableLoader} from '../engine/run-table-loader.js'

/** Each table is dropped from `tables` once staged, so its Arrow copy can go. */
export async function stageTables(
  loader: RunTableLoader,
  tables: Record<string, Iterable<Table>>,
  commitEach = false,
): Promise<void> {
  for (const name of Object.keys(tables)) {
    for (const part of tables[name]) await loader.stage(name, part)
    delete tables[name]
    if (commitEach) await loader.commit([name])
  }
}
