import {Args, Flags} from '@oclif/core'
import {RunlogCommand} from '../cli/base-command.js'
import {type ExportResult, exportParquet} from '../export/export-parquet.js'
import {Analysis} from '../metrics/analysis.js'
import {textTable} from '../render/text-table.js'
import {stdoutLayout} from '../render/terminal.js'

export default class Export extends RunlogCommand {
  static override summary = 'Write runs as a Parquet dataset partitioned by table and run, for DuckDB, Spark, Trino or ClickHouse.'
  static override description =
    'Writes DIR/table=<name>/run=<run_id>/part-0.parquet for the raw-event tables (runs, history, summary, steps, samples, judge_events, api_calls, step_tallies, collector_summaries, step_metrics, warnings). Each RUN is a run directory, a .wandb file or a trainer log.'
  static override examples = ['<%= config.bin %> export wandb/offline-run-* --to runlog-dataset']
  static override enableJsonFlag = true
  static override strict = false
  static override usage = 'export RUN [RUN...] --to DIR [FLAGS]'
  static override args = {run: Args.string({description: 'runs to export (several allowed)', required: true})}
  static override flags = {to: Flags.string({description: 'the dataset folder', required: true})}

  async run(): Promise<ExportResult> {
    const {argv, flags} = await this.parse(Export)
    const analysis = await Analysis.open((argv as string[]).map((path) => ({path})))
    try {
      const result = await exportParquet(analysis.db, flags.to)
      if (!this.jsonEnabled()) {
        this.log(`Wrote ${result.dir}`)
        this.log(textTable(['table', 'rows', 'runs'], result.tables.map((t) => [t.table, t.rows, t.runs]), {layout: stdoutLayout()}))
      }
      return result
    } finally {
      analysis.close()
    }
  }
}
