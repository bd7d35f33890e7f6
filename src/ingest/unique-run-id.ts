/** The same run given twice or the parts of a resumed run (one id in several folders), stay apart: `id#2`, `id#3`… */
export function uniqueRunId(runId: string, takenIds: ReadonlySet<string>): string {
  if (!takenIds.has(runId)) return runId
  let n = 2
  while (takenIds.has(`${runId}#${n}`)) n++
  return `${runId}#${n}`
}
