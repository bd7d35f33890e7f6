import {exceptionOf} from '../readers/trainer/families/noise.js'
import type {TrainerEvents} from '../readers/trainer/types.js'

type StdoutWarning = TrainerEvents['warnings'][number]

/** Stdout warnings, one line per kind when a kind repeats (a long log can hold thousands of the same warning). */
export function groupedWarnings(list: readonly StdoutWarning[]): string[] {
  const byKind = new Map<string, StdoutWarning[]>()
  for (const w of list) {
    const k = byKind.get(w.kind)
    if (k) k.push(w)
    else byKind.set(w.kind, [w])
  }
  const out: string[] = []
  for (const [kind, ws] of byKind) {
    // wandb's own ERROR/WARNING lines are the log's content, not runlog's findings: they stay in the warnings table.
    if (kind === 'wandb') continue
    const first = ws[0]
    const at = first.line ? ` at line ${first.line}` : ''
    if (kind === 'traceback')
      out.push(`${ws.length} Python traceback(s) in stdout${byType(ws)} (first${at}: ${first.message})`)
    else if (ws.length === 1) out.push(first.message)
    else out.push(`${ws.length} stdout warnings of kind ${kind} (first${at}: ${first.message})`)
  }
  return out
}

/** `: 74 TypeError, 2 RuntimeError` when the tracebacks end in more than one exception type (most frequent first). */
function byType(tracebacks: readonly StdoutWarning[]): string {
  const counts = new Map<string, number>()
  for (const w of tracebacks) {
    const type = exceptionOf(w.message)?.type ?? 'no exception line'
    counts.set(type, (counts.get(type) ?? 0) + 1)
  }
  if (counts.size <= 1) return ''
  const ranked = [...counts].sort((a, b) => b[1] - a[1])
  return `: ${ranked.map(([t, n]) => `${n} ${t}`).join(', ')}`
}

/** At most 200 characters of a message (a CUDA out-of-memory message runs to 400). */
export function clip(text: string): string {
  return text.length <= 200 ? text : `${text.slice(0, 199)}…`
}
