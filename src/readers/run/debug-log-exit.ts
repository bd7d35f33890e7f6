import {join} from 'node:path'
import {readOptionalText} from '../input-file.js'

/**
 * The exit code wandb-core wrote into `logs/debug-internal.log` (`"exit_code":1` in its last filestream message),
 * for runs whose `.wandb` has no exit record although the process did report one; null when it says nothing.
 */
export function exitCodeFromDebugLog(dir: string | null): number | null {
  if (!dir) return null
  const text = readOptionalText(join(dir, 'logs', 'debug-internal.log'))
  if (text === null) return null
  let code: number | null = null
  for (const m of text.matchAll(/"exit_code":\s*(-?\d+)/g)) code = Number(m[1])
  return code
}
