import {Args, Errors, Flags} from '@oclif/core'
import {RunlogCommand} from '../cli/base-command.js'
import {reportFlags} from '../cli/report-flags.js'
import {diagnosisFlags, diagnosisOptions} from '../cli/diagnosis-flags.js'
import {metricsValue} from '../cli/flag-values.js'
import type {Summary} from '../metrics/types.js'
import {DEFAULT_METRIC_ROWS} from '../render/summary-report.js'
import type {RunError} from '../runs/run-errors.js'
import {runSummarize} from '../cli/run-summarize.js'

export default class Summarize extends RunlogCommand {
  static override summary =
    'Per-dataset accuracy, LLM-judge health and API cost of a run, recomputed from its raw events.'
  static override description = `RUN is a run directory, a .wandb file or a trainer stdout log (default ./wandb/latest-run). Every figure is recomputed in DuckDB from the most trusted evidence present — per-sample events (wandb Tables, stdout sample blocks, API calls), then the trainer's printed step tallies, then its logged aggregates — and its origin is shown. The trainer's logged dataset/*, val/*, judge/* and cost/* values are checked against the recomputation at every step.`
  static override examples = [
    '<%= config.bin %> summarize',
    '<%= config.bin %> summarize wandb/offline-run-20251124_010713-ieqh524y --stdout train.log',
    '<%= config.bin %> summarize train.log --format md',
    '<%= config.bin %> summarize wandb/latest-run --json --chart report.html',
  ]
  static override enableJsonFlag = true
  static override args = {
    run: Args.string({description: 'run directory, .wandb file or trainer log (default ./wandb/latest-run)'}),
  }
  static override flags = {
    stdout: Flags.string({description: "the trainer's stdout log (read instead of the console stored in the run)"}),
    follow: Flags.boolean({
      char: 'f',
      description:
        'live run: re-read the growing log every --interval seconds (only its new bytes) and redraw, until the run ends',
    }),
    interval: Flags.integer({description: 'seconds between re-reads with --follow', default: 5, min: 1}),
    all: Flags.boolean({
      description:
        'every run below RUN (a folder of runs, e.g. a sweep): one summary each, read on all cores; --json prints an array',
      exclusive: ['follow', 'stdout'],
    }),
    metrics: Flags.custom<number | 'all'>({
      description: `how many of the per-step metrics the trainer logged the table shows: a number, or all (default ${
        DEFAULT_METRIC_ROWS
      }; csv: all)`,
      parse: async (input) => {
        const value = metricsValue(input)
        // exit 2, as for any bad flag (oclif keeps an error's own exit code)
        if (value === undefined)
          throw new Errors.CLIError(`--metrics takes a number ≥ 1 or "all", not "${input}"`, {exit: 2})
        return value
      },
    })(),
    ...reportFlags,
    ...diagnosisFlags,
  }

  async run(): Promise<Summary | Array<Summary | RunError>> {
    const {args, flags} = await this.parse(Summarize)
    return runSummarize(args.run, flags, diagnosisOptions(flags), this.io())
  }
}
