import {type DamageReport, emptyDamage} from '../wandb/damage.js'
import {type SkipRecord, scanRecords} from '../wandb/log-container.js'
import {isEmptyFile} from '../input-file.js'
import type {ReadProgress} from '../read-progress.js'
import type {RunLocation} from './locate-run.js'

/** Damage at the end is kept apart: a later scan may still read it (a record that was being written). */
export class IncrementalLog {
  /** Bytes of the log at the last scan. */
  size = 0
  /** The log exists but holds nothing: the run is read from its files/. */
  empty = false
  /** Records that passed their checksum but are not valid protobuf. */
  undecodable = 0
  private offset = 0
  private settledUnreadable = 0
  private settledDropped = 0
  private damage: DamageReport | null = null
  // Records skipped for their size lie before each scan's end offset: every scan counts new ones only.
  private readonly oversized = {records: 0, bytes: 0, first: null as number | null}

  constructor(
    private readonly location: RunLocation,
    private readonly onProgress?: ReadProgress,
  ) {}

  /** Reads the records the log gained into `onPayload`; returns how many bytes it gained. */
  scan(onPayload: (payload: Uint8Array) => void, skip?: SkipRecord): number {
    if (this.damage) this.settle(this.damage)
    const before = this.offset
    if (this.location.dir !== null && isEmptyFile(this.location.logFile)) {
      // A run whose log was never written (or was truncated to nothing) is still a run: what its files/ hold is used.
      this.empty = true
      this.size = 0
      this.damage = emptyDamage()
      return 0
    }
    this.empty = false
    const scan = scanRecords(this.location.logFile, onPayload, {
      from: this.offset,
      onProgress: this.onProgress,
      skip,
    })
    this.offset = scan.endOffset
    this.size = scan.bytes
    const damage = (this.damage = scan.damage)
    this.oversized.records += damage.oversizedRecords
    this.oversized.bytes += damage.oversizedBytes
    this.oversized.first ??= damage.firstOversizedAt
    return Math.max(0, this.size - before)
  }

  /** All the damage found so far. */
  report(): DamageReport {
    const damage = this.damage!
    const report: DamageReport = {
      ...damage,
      unreadableBytes: damage.unreadableBytes + this.settledUnreadable,
      droppedRecords: damage.droppedRecords + this.settledDropped,
      problems: [...damage.problems],
      oversizedRecords: this.oversized.records,
      oversizedBytes: this.oversized.bytes,
      firstOversizedAt: this.oversized.first,
    }
    if (this.undecodable > 0) {
      report.droppedRecords += this.undecodable
      report.problems.push(`${this.undecodable} record(s) passed their checksum but are not valid protobuf`)
    }
    return report
  }

  /** What the last scan found before its end offset is settled; what it found after is read again. */
  private settle(damage: DamageReport): void {
    const tail = Math.min(damage.unreadableBytes, Math.max(0, this.size - this.offset))
    this.settledUnreadable += damage.unreadableBytes - tail
    this.settledDropped += tail > 0 ? Math.max(0, damage.droppedRecords - 1) : damage.droppedRecords
  }
}
