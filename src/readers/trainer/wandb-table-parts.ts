import type {Table} from 'apache-arrow'
import {mediaValue} from '../run/json-value.js'
import type {HistoryRecord} from '../wandb/records.js'
import {TableBuilder} from '../../arrow/table-builder.js'
import {SAMPLES_COLUMNS} from './trainer-tables.js'
import type {SampleRow} from './types.js'
import {type SampleSink, type TableFileRef, readTableSamples} from './wandb-table-samples.js'

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
  /** The part being built: each sample goes in as it is read (no list of them kept until the part is full). */
  private part = new PartBuilder()
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
    readTableSamples(this.refs[this.read++], this.filesDir, this.part, this.warnings)
    if (++this.filesInPart === this.filesPerPart) this.handOn()
    return true
  }

  /** Reads the files not read yet and hands on the last part. */
  finish(): void {
    while (this.readOne());
    this.handOn()
  }

  private handOn(): void {
    const part = this.part
    this.part = new PartBuilder()
    this.filesInPart = 0
    if (part.length > 0) this.onPart(part.finish())
  }
}

/** A part of the samples table built as its samples come, as `trainerTable('samples', rows)` builds it from a list. */
class PartBuilder implements SampleSink {
  private readonly builder = new TableBuilder(SAMPLES_COLUMNS, {dictionary: true})
  private readonly one: SampleRow[] = []

  push(sample: SampleRow): void {
    this.one[0] = sample
    this.builder.appendRows(this.one)
  }

  get length(): number {
    return this.builder.length
  }

  finish(): Table {
    return this.builder.finish()
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
