import type {TableLayout} from './fit-table.js'
import {colorFor, paint} from './paint.js'

/** Fitted and coloured only on a terminal (not with --wide, NO_COLOR or --json); whole when piped. */
export function stdoutLayout(
  opts: {wide?: boolean; json?: boolean} = {},
  stream: {isTTY?: boolean; columns?: number} = process.stdout,
  env: NodeJS.ProcessEnv = process.env,
): TableLayout {
  const width = stream.isTTY && !opts.wide ? stream.columns || Number(env.COLUMNS) || 80 : null
  return {width, paint: paint(colorFor(stream, opts, env))}
}
