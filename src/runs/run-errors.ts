/** Printed in `--json` in place of the run's entry. */
export interface RunError {
  dir: string
  error: string
}

/** The results of the runs read and the errors of those that could not be, back in input order. */
export function inInputOrder<T>(
  results: T[],
  inputIndex: number[],
  failures: ReadonlyArray<{index: number; path: string; error: string}>,
): Array<T | RunError> {
  const out = new Array<T | RunError>(results.length + failures.length)
  for (const [i, r] of results.entries()) out[inputIndex[i]] = r
  for (const f of failures) out[f.index] = {dir: f.path, error: f.error}
  return out
}
