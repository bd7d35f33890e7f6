import type {TableLayout} from './fit-table.js'
import {colorFor, paint} from './paint.js'

/**
 * How tables go to stdout: fitted to the window when it is a terminal (unless --wide), whole when piped; coloured
 * only on a terminal without NO_COLOR or --json.
 */
export function stdoutLayout(
  opts: {wide?: boolean; json?: boolean} = {},
  stream: {isTTY?: boolean; columns?: number} = process.stdout,
  env: NodeJS.ProcessEnv = process.env,
): TableLayout {
  const width = stream.isTTY && !opts.wide ? stream.columns || Number(env.COLUMNS) || 80 : null
  return {width, paint: paint(colorFor(stream, opts, env))}
}
