import {Args, Flags} from '@oclif/core'
import {RunlogCommand} from '../cli/base-command.js'
import {wideFlag} from '../cli/report-flags.js'
import {runHistory} from '../cli/run-history.js'

export default class History extends RunlogCommand {
  static override summary = "Print or export a run's logged history (every wandb.log row)."
  static override description = `RUN is a run directory, a .wandb file or a trainer stdout log (its per-step metrics, one record per trainer step, _step being that step). jsonl prints one JSON object per history record, in file order, exactly as wandb's own reader gives it (_step always present, nested keys joined with ".", NaN/Infinity as strings). table and csv are wide (one column per key); arrow (Arrow IPC file) and parquet write the long-form history table (run_id, row, step, key, value, value_json, runtime, timestamp) and need --output.`
  static override examples = [
    '<%= config.bin %> history wandb/latest-run --keys train/loss,dataset/*/accuracy',
    '<%= config.bin %> history wandb/offline-run-20251124_010713-ieqh524y --format jsonl > history.jsonl',
    '<%= config.bin %> history run-ieqh524y.wandb --format parquet --output history.parquet',
    "<%= config.bin %> history train.log --keys 'val-core/*' --format csv",
  ]
  static override args = {
    run: Args.string({description: 'run directory, .wandb file or trainer stdout log', required: true}),
  }
  static override flags = {
    keys: Flags.string({description: 'only these keys (comma-separated; * matches anything, e.g. dataset/*/accuracy)'}),
    format: Flags.string({
      description: 'output format',
      options: ['table', 'csv', 'json', 'jsonl', 'arrow', 'parquet'],
      default: 'table',
    }),
    output: Flags.string({char: 'o', description: 'write to FILE instead of stdout'}),
    ...wideFlag,
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(History)
    await runHistory(args.run, flags, this.io())
  }
}
