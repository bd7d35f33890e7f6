import type {Table} from 'apache-arrow'
import {TableSampleReader} from '../readers/trainer/wandb-table-parts.js'
import type {TableFileRef} from '../readers/trainer/wandb-table-samples.js'

/** Each part is read when taken, so a run with thousands of Tables never holds all their samples at once. */
export function* tableSampleParts(refs: TableFileRef[], filesDir: string, warnings: string[]): Generator<Table> {
  const parts: Table[] = []
  const reader = new TableSampleReader(filesDir, (part) => parts.push(part), warnings)
  for (const ref of refs) reader.add(ref)
  while (reader.readOne()) if (parts.length > 0) yield parts.pop()!
  reader.finish()
  if (parts.length > 0) yield parts.pop()!
}

/** The wandb Table files the history refers to, from the run's media table. */
export function tableRefs(media: Table): TableFileRef[] {
  const out: TableFileRef[] = []
  for (let i = 0; i < media.numRows; i++) {
    const row = media.get(i)!
    if (row.type === 'table-file' && row.origin === 'history' && typeof row.path === 'string')
      out.push({step: Number(row.step), key: String(row.key), path: row.path})
  }
  return out
}
