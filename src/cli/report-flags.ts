import {Flags} from '@oclif/core'

/** `--wide`: every column of a terminal table, however wide the window. */
export const wideFlag = {
  wide: Flags.boolean({description: 'print every column of the tables, even wider than the terminal'}),
}

/** Flags shared by summarize, compare and efficiency. */
export const reportFlags = {
  format: Flags.string({
    description: 'human output format (ignored with --json)',
    options: ['table', 'md', 'csv'],
    default: 'table',
  }),
  chart: Flags.string({
    description: 'also draw the figures into FILE: .svg, .png, .html (self-contained, offline) or .vl.json',
  }),
  db: Flags.string({
    description:
      'keep the DuckDB database in FILE (query it later with DuckDB or `runlog query`): a new FILE, or one runlog ' +
      'made (its runs are kept); any other file is refused untouched',
  }),
  ...wideFlag,
}
