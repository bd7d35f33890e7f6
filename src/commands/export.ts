import {resolve} from 'node:path'
import {Args, Flags} from '@oclif/core'
import {RunlogCommand} from '../cli/base-command.js'
import {wideFlag} from '../cli/report-flags.js'
import {type ExportResult, exportParquet} from '../export/export-parquet.js'
import {Analysis} from '../analysis/analysis.js'
import {EVIDENCE_TABLES} from '../ingest/evidence-tables.js'
import {fitLine} from '../render/fit-table.js'
import {textTable} from '../render/text-table.js'
import type {RunError} from '../runs/run-errors.js'
import {stdoutLayout} from '../render/terminal.js'

export default class Export extends RunlogCommand {
  static override summary =
    'Write runs as a Parquet dataset partitioned by table and run, for DuckDB, Spark, Trino or ClickHouse.'
  static override description = `Writes DIR/table=<name>/run=<run_id>/part-0.parquet for the raw-event tables (${EVIDENCE_TABLES.join(', ')}). Each RUN is a run directory, a .wandb file or a trainer log.`
  static override examples = ['<%= config.bin %> export wandb/offline-run-* --to runlog-dataset']
  static override enableJsonFlag = true
  static override strict = false
  static override usage = 'export RUN [RUN...] --to DIR [FLAGS]'
  static override args = {run: Args.string({description: 'runs to export (several allowed)', required: true})}
  static override flags = {to: Flags.string({description: 'the dataset folder', required: true}), ...wideFlag}

  async run(): Promise<ExportResult & {errors: RunError[]}> {
    const {argv, flags} = await this.parse(Export)
    const analysis = await Analysis.open(
      (argv as string[]).map((path) => ({path})),
      {skipUnreadable: true},
    )
    try {
      const errors = analysis.failures.map((f) => ({dir: f.path, error: f.error}))
      for (const e of errors) this.skippedLine(e.error)
      // Nothing is written when no run could be read.
      this.failIfNoneRead(analysis.runs.length, errors.length, {dir: resolve(flags.to), tables: [], errors})
      const result = {...(await exportParquet(analysis.db, flags.to)), errors}
      if (!this.jsonEnabled()) {
        const layout = stdoutLayout({wide: flags.wide})
        this.log(fitLine(`Wrote ${result.dir}`, layout))
        this.log(
          textTable(
            ['table', 'rows', 'runs'],
            result.tables.map((t) => [t.table, t.rows, t.runs]),
            {layout},
          ),
        )
      }
      return result
    } finally {
      analysis.close()
    }
  }
}
