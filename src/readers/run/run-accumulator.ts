import type {RunRecord} from '../wandb/records.js'
import {numericValue, parseValueJson} from './json-value.js'

/** What the records of a run's log say about the run as a whole, gathered while the log is scanned. */
export class RunAccumulator {
  run: RunRecord | null = null
  producer = ''
  telemetryCli = ''
  exitCode: number | null = null
  exitRuntime: number | null = null
  summary = new Map<string, string>()
  /** Some summary record was read (its items may have been skipped: see `summaryKeys`). */
  sawSummary = false
  steps = new Set<number>()
  lastStep: number | null = null
  historyRows = 0
  maxRuntime: number | null = null
  /** Newest Unix time seen inside the log (history _timestamp, stats, console), seconds. */
  newestTime: number | null = null
  /** Whether the scan decoded the records that carry times. */
  sawTimes = false

  seeTime(t: number | null): void {
    if (t !== null && Number.isFinite(t) && (this.newestTime === null || t > this.newestTime)) this.newestTime = t
  }

  newestMs(): number | null {
    const start = this.run?.startTime ?? null
    const t = this.newestTime ?? start
    return t === null ? null : Math.max(t, start ?? t) * 1000
  }

  mergeRun(r: RunRecord): void {
    if (!this.run) {
      this.run = r
      return
    }
    // A later run record (resume, update) fills or overrides what it sets.
    const m = this.run
    for (const k of Object.keys(r) as Array<keyof RunRecord>) {
      const v = r[k]
      if (v === '' || v === null || v === 0 || v === false || (Array.isArray(v) && v.length === 0)) continue
      ;(m as unknown as Record<string, unknown>)[k] = v
    }
  }

  addStep(step: number): void {
    this.steps.add(step)
    this.lastStep = step
    this.historyRows++
  }
}

/** The run's runtime: the exit record's, else the summary's, else the newest history `_runtime`, else the run's. */
export function runtimeSeconds(s: RunAccumulator): number | null {
  if (s.exitRuntime !== null && s.exitRuntime > 0) return s.exitRuntime
  const wb = s.summary.get('_wandb')
  if (wb) {
    const v = parseValueJson(wb) as {runtime?: unknown}
    if (v && typeof v.runtime === 'number') return v.runtime
  }
  const rt = s.summary.get('_runtime')
  if (rt) {
    const n = numericValue(rt)
    if (n !== null && Number.isFinite(n)) return n
  }
  if (s.maxRuntime !== null) return s.maxRuntime
  if (s.run && s.run.runtime > 0) return s.run.runtime
  return null
}
