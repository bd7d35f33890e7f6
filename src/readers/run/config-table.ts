import type {Table} from 'apache-arrow'
import {TableBuilder} from '../../arrow/table-builder.js'
import type {KeyValue, RunRecord} from '../wandb/records.js'
import {CONFIG_COLUMNS} from './run-tables.js'

/** The `config` table: the log's config (run record, then config records), else files/config.yaml's. */
export function configTable(
  runId: string,
  run: RunRecord | null,
  records: KeyValue[],
  fromYaml: Record<string, unknown> | null,
): Table {
  const b = new TableBuilder(CONFIG_COLUMNS)
  const merged = new Map<string, string>()
  for (const it of run?.config ?? []) merged.set(it.key, it.valueJson)
  for (const it of records) merged.set(it.key, it.valueJson)
  if (merged.size > 0) {
    for (const [key, v] of merged) b.append({run_id: runId, key, value_json: v, origin: 'log'})
  } else if (fromYaml) {
    for (const [key, v] of Object.entries(fromYaml)) {
      b.append({run_id: runId, key, value_json: JSON.stringify(v), origin: 'config.yaml'})
    }
  }
  return b.finish()
}
