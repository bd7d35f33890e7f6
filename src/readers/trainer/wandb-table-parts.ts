import type {Table} from 'apache-arrow'
import {mediaValue} from '../run/json-value.js'
import type {HistoryRecord} from '../wandb/records.js'
import {trainerTable} from './trainer-tables.js'
import type {SampleRow} from './types.js'
import {type TableFileRef, samplesFromWandbTables} from './wandb-table-samples.js'

/** wandb Table files read into one part of the samples table (a long run logs tens of thousands). */
export const TABLE_FILES_PER_PART = 2000

/**
 * The samples of a run's wandb Table files, read one file at a time as their references are found, and handed on as
 * parts of the samples table of `filesPerPart` files each, in the order of the references. A reading thread that
 * waits for another (its console's parser) reads a file in each such moment (`readOne`), instead of reading them all
 * once the log is read; the parts go on as they are made, so that they need not all be held.
 */
export class TableSampleReader {
  private readonly refs: TableFileRef[] = []
  /** References read so far. */
  private read = 0
  /** Samples of the files read since the last part. */
  private samples: SampleRow[] = []
  private filesInPart = 0

  /** `warnings` is told of missing or unreadable files, in the order of their references. */
  constructor(
    private readonly filesDir: string,
    private readonly onPart: (part: Table) => void,
    private readonly warnings: string[] = [],
    private readonly filesPerPart = TABLE_FILES_PER_PART,
  ) {}

  /** Table files referenced so far. */
  get files(): number {
    return this.refs.length
  }

  /** A Table file to read, after those added before. */
  add(ref: TableFileRef): void {
    this.refs.push(ref)
  }

  /** Reads the next file not read yet; false when every file added is read. */
  readOne(): boolean {
    if (this.read === this.refs.length) return false
    const {samples, warnings} = samplesFromWandbTables([this.refs[this.read++]], this.filesDir)
    this.warnings.push(...warnings)
    for (const s of samples) this.samples.push(s)
    if (++this.filesInPart === this.filesPerPart) this.handOn()
    return true
  }

  /** Reads the files not read yet and hands on the last part. */
  finish(): void {
    while (this.readOne());
    this.handOn()
  }

  private handOn(): void {
    const samples = this.samples
    this.samples = []
    this.filesInPart = 0
    if (samples.length > 0) this.onPart(trainerTable('samples', samples))
  }
}

/** The Table files a history record logs (`_type` `table-file` values with a path), as the `media` table lists them. */
export function tableFileRefs(rec: HistoryRecord): TableFileRef[] {
  const out: TableFileRef[] = []
  for (const it of rec.items) {
    const media = mediaValue(it.valueJson)
    if (media?.type === 'table-file' && media.path !== null) out.push({step: rec.step, key: it.key, path: media.path})
  }
  return out
}
