import type {RunRecord} from '../wandb/records.js'

/** The run's start as ISO text: the run record's, else `startedAt` of files/wandb-metadata.json (UTC when unzoned). */
export function startedAt(run: RunRecord | null, metadata: Record<string, unknown> | null): string | null {
  if (run?.startTime) return new Date(run.startTime * 1000).toISOString()
  const m = metadata?.startedAt
  if (typeof m === 'string') {
    const d = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(m) ? m : `${m}Z`)
    if (!Number.isNaN(d.getTime())) return d.toISOString()
  }
  return null
}
