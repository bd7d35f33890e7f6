import {type CliResult} from './cli.js'
import {GRPO_RUN} from './fixtures.js'
import {runlogInProcess} from './in-process-cli.js'

let summary: Promise<CliResult> | undefined

/** `runlog summarize GRPO_RUN --json`, run once per test worker: several test files read these same figures. */
export function grpoSummaryJson(): Promise<CliResult> {
  summary ??= runlogInProcess(['summarize', GRPO_RUN, '--json'])
  return summary
}
