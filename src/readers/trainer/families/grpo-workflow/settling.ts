import type {ParseContext} from '../../context.js'
import type {SampleRow, SettledBatch, StepTallyRow, WarningRow} from '../../types.js'

// Settling: what a step's events mean once no later line can change them.

/** One tally block per (step, split) is counted: the step tally when the collector printed the same figures again. */
export function markCountedTallies(stepTallies: StepTallyRow[], warnings: WarningRow[]): void {
  const byKey = new Map<string, StepTallyRow[]>()
  for (const r of stepTallies) {
    const k = `${r.step}|${r.split}`
    let list = byKey.get(k)
    if (!list) byKey.set(k, (list = []))
    list.push(r)
  }
  for (const rows of byKey.values()) {
    const tally = rows.filter((r) => r.kind === 'step_tally')
    const summary = rows.filter((r) => r.kind === 'collector_summary')
    if (tally.length === 0 || summary.length === 0) continue
    for (const r of summary) r.counted = false
    const a = new Map(tally.map((r) => [r.source, `${r.correct}/${r.total}`]))
    const b = new Map(summary.map((r) => [r.source, `${r.correct}/${r.total}`]))
    const same = a.size === b.size && [...a].every(([k, v]) => b.get(k) === v)
    if (!same) {
      warnings.push({
        step: tally[0].step,
        kind: 'tally_mismatch',
        message:
          `step ${tally[0].step} (${tally[0].split}): the dataset summary disagrees with the step tally; ` +
          'the step tally is counted',
        origin: 'stdout',
        line: summary[0].line,
      })
    }
  }
}

/**
 * Samples whose execution failed print no `source=`: take it from another rollout of the same problem (`S1-1/2` and
 * `S1-2/2`), else from the step's counted tally when it leaves exactly one dataset for the unattributed samples.
 */
export function inferSources(batch: SettledBatch): void {
  const unknown = batch.samples.filter((s) => s.source === null && s.origin === 'stdout')
  if (unknown.length === 0) return
  const groupSource = new Map<string, SampleRow>()
  for (const s of batch.samples) {
    if (s.source !== null && s.group_id !== null) groupSource.set(`${s.step}|${s.split}|${s.group_id}`, s)
  }
  for (const s of unknown) {
    if (s.group_id === null) continue
    const sib = groupSource.get(`${s.step}|${s.split}|${s.group_id}`)
    if (sib !== undefined) {
      s.source = sib.source
      s.source_from = 'sibling'
      if (s.problem_type === null) s.problem_type = sib.problem_type
    }
  }
  const left = unknown.filter((s) => s.source === null)
  if (left.length === 0) return
  const byStep = new Map<string, SampleRow[]>()
  for (const s of batch.samples) {
    const k = `${s.step}|${s.split}`
    let list = byStep.get(k)
    if (!list) byStep.set(k, (list = []))
    list.push(s)
  }
  const tallies = new Map<string, Map<string, number>>()
  for (const t of batch.stepTallies) {
    if (!t.counted) continue
    const k = `${t.step}|${t.split}`
    let m = tallies.get(k)
    if (!m) tallies.set(k, (m = new Map<string, number>()))
    m.set(t.source, (m.get(t.source) ?? 0) + t.total)
  }
  for (const [k, rows] of byStep) {
    const missing = rows.filter((s) => s.source === null)
    const tally = tallies.get(k)
    if (missing.length === 0 || !tally) continue
    const residual = new Map(tally)
    for (const s of rows) if (s.source !== null) residual.set(s.source, (residual.get(s.source) ?? 0) - 1)
    let total = 0
    let only: string | null = null
    let positive = 0
    let negative = false
    for (const [src, n] of residual) {
      if (n < 0) negative = true
      if (n > 0) {
        positive++
        only = src
        total += n
      }
    }
    if (negative || positive !== 1 || total !== missing.length || only === null) continue
    for (const s of missing) {
      s.source = only
      s.source_from = 'step_tally'
    }
  }
}

/** Per-sample call counts and cost from the calls attributed to each sample; the calls learn their sample. */
export function attributeCalls(ctx: ParseContext, batch: SettledBatch, last: boolean): void {
  type Tally = {exec: number; judge: number; cost: number; costs: number}
  const acc = new Map<SampleRow, Tally>()
  // A sample's calls come one after another: the last owner's tally is at hand without a lookup.
  let lastOwner: SampleRow | null = null
  let lastTally: Tally | undefined
  for (const call of batch.apiCalls) {
    const owner = ctx.callOwner.get(call)
    if (!owner) continue
    if (!last) ctx.callOwner.delete(call)
    call.sample_id = owner.sample_id
    call.source = owner.source
    let a = owner === lastOwner ? lastTally : acc.get(owner)
    if (!a) acc.set(owner, (a = {exec: 0, judge: 0, cost: 0, costs: 0}))
    lastOwner = owner
    lastTally = a
    if (call.role === 'judge') a.judge++
    else a.exec++
    if (call.cost !== null) {
      a.cost += call.cost
      a.costs++
    }
  }
  for (const s of batch.samples) {
    if (s.origin !== 'stdout') continue
    const a = acc.get(s)
    s.executor_calls = a ? a.exec : 0
    s.judge_calls = a ? a.judge : 0
    if (a && a.costs > 0) {
      s.cost = Math.round(a.cost * 1e12) / 1e12
      s.cost_from = 'api_calls'
    } else if (s.reported_cost !== null) {
      s.cost = s.reported_cost
      s.cost_from = 'reported'
    }
  }
}
