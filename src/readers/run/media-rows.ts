import {existsSync} from 'node:fs'
import {join} from 'node:path'
import type {TableBuilder} from '../../arrow/table-builder.js'
import type {KeyValue} from '../wandb/records.js'
import {mediaValue} from './json-value.js'
import type {MEDIA_COLUMNS} from './run-tables.js'

/** Appends a `media` row for each item that references a media file, and whether that file is present. */
export function appendMedia(
  b: TableBuilder<typeof MEDIA_COLUMNS>,
  runId: string,
  step: number | null,
  items: KeyValue[],
  filesDir: string | null,
  origin: 'history' | 'summary',
): void {
  for (const it of items) {
    const media = mediaValue(it.valueJson)
    if (!media) continue
    const {type, path} = media
    b.append({
      run_id: runId,
      step,
      key: it.key,
      type,
      path,
      present: path && filesDir ? existsSync(join(filesDir, path)) : false,
      origin,
    })
  }
}
