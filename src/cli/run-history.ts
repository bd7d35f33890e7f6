import {type HistoryFormat, exportHistory} from '../history/export-history.js'
import {stdoutLayout} from '../render/terminal.js'
import type {CommandIo} from './command-io.js'

export interface HistoryFlags {
  keys?: string
  format: string
  output?: string
  wide?: boolean
}

/** `runlog history RUN [--keys …] [--format …] [--output FILE] [--wide]`. */
export async function runHistory(run: string, flags: HistoryFlags, io: CommandIo): Promise<void> {
  const result = await exportHistory(run, flags.format as HistoryFormat, {
    keys: flags.keys,
    output: flags.output,
    // A table written to a file is whole; on a terminal it fits the window.
    layout: flags.output ? undefined : stdoutLayout({wide: flags.wide}),
  })
  for (const w of result.warnings) io.warnLine(w)
  if (flags.output)
    process.stderr.write(
      `wrote ${result.rows} ${flags.format === 'arrow' || flags.format === 'parquet' ? 'value' : 'row'}(s) to ${flags.output}\n`,
    )
}
