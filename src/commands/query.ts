import {Args, Flags} from '@oclif/core'
import {RunlogCommand} from '../cli/base-command.js'
import {Analysis} from '../analysis/analysis.js'
import {EVIDENCE_TABLES} from '../ingest/evidence-tables.js'
import {InputError} from '../errors.js'
import {csvTable, markdownTable, textTable} from '../render/text-table.js'
import {stdoutLayout} from '../render/terminal.js'
import {wideFlag} from '../cli/report-flags.js'

export default class Query extends RunlogCommand {
  static override summary = 'Run your own SQL over the tables and metric views of one or more runs.'
  static override description = `The last argument is the SQL; the others are runs (run directories, .wandb files or trainer logs). Tables: ${EVIDENCE_TABLES.join(', ')} (all with a run_id column), and the metric views: chosen_samples, logged_values, step_datasets, dataset_figures, judge_figures, step_judge, cost_figures, step_training, dataset_checks, counter_checks. By default the SQL is read-only and offline: it cannot read or write any other file, attach a database, install or load an extension, or change a setting; --unsafe lifts that.`
  static override examples = [
    `<%= config.bin %> query wandb/latest-run "SELECT source, count(*) FROM samples GROUP BY ALL"`,
    `<%= config.bin %> query run-a.log run-b.log "SELECT run_id, split, source, accuracy FROM dataset_figures ORDER BY source" --format csv`,
  ]
  static override enableJsonFlag = true
  static override strict = false
  static override usage = 'query RUN [RUN...] SQL [FLAGS]'
  static override args = {
    run: Args.string({description: 'run directory, .wandb file or trainer log (several allowed)', required: true}),
    sql: Args.string({description: 'the SQL query (last argument)', required: true}),
  }
  static override flags = {
    format: Flags.string({description: 'output format', options: ['table', 'md', 'csv'], default: 'table'}),
    db: Flags.string({
      description:
        'keep the DuckDB database in FILE: a new FILE, or one runlog made (its runs are kept); any other file is ' +
        'refused untouched',
    }),
    unsafe: Flags.boolean({
      description:
        "DuckDB's full power: the SQL may read and write other files, attach databases, load extensions and change " +
        'the database (off: read-only and offline)',
    }),
    ...wideFlag,
  }

  async run(): Promise<Array<Record<string, unknown>>> {
    const {argv, flags} = await this.parse(Query)
    const all = argv as string[]
    const sql = all[all.length - 1]
    const runs = all.slice(0, -1)
    const analysis = await Analysis.open(
      runs.map((path) => ({path})),
      {dbFile: flags.db},
    )
    try {
      // The figures' views run on one thread (for last-bit reproducible sums); the user's own SQL gets every core.
      await analysis.db.run('RESET threads')
      // A query string is data that may come from anywhere: by default it sees the analysis' tables and nothing else.
      if (!flags.unsafe) await analysis.db.lockDown()
      let result
      try {
        result = await analysis.db.queryWithColumns(sql, {readOnly: !flags.unsafe})
      } catch (error) {
        const first = (error as Error).message.split('\n')[0]
        const locked = !flags.unsafe && LOCKED_ERROR.test(first)
        const hint = locked ? ' (runlog query is read-only and offline; --unsafe lifts that)' : ''
        throw new InputError('query', `${first}${hint}`)
      }
      if (!this.jsonEnabled()) {
        const rows = result.rows.map((r) => result.columns.map((c) => cell(r[c])))
        if (flags.format === 'csv') this.log(csvTable(result.columns, rows))
        else if (flags.format === 'md') this.log(markdownTable(result.columns, rows))
        else this.log(textTable(result.columns, rows, {layout: stdoutLayout({wide: flags.wide})}))
      }
      return result.rows
    } finally {
      analysis.close()
    }
  }
}

/** DuckDB's errors for what a locked-down query may not do (see `RunDatabase.lockDown`). */
const LOCKED_ERROR = /Permission Error|read-only mode|configuration has been locked|disabled (by|through) configuration/

function cell(v: unknown): string | number | boolean | null {
  if (v === null || v === undefined) return null
  if (typeof v === 'object') return JSON.stringify(v)
  return v as string | number | boolean
}
