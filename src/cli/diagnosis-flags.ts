import {Errors, Flags} from '@oclif/core'
import {DEFAULT_DIAGNOSIS, type DiagnosisOptions} from '../metrics/types.js'

/** The diagnosis' parameters, shared by summarize, compare and check. */
export const diagnosisFlags = {
  'judge-threshold': Flags.custom<number>({
    description: 'judge success rate (a fraction) below which the judge is unhealthy',
    default: DEFAULT_DIAGNOSIS.judgeThreshold,
    // Checked in diagnosisOptions: an error thrown here would lose its flag-error exit code (2) on the way out.
    parse: async (input) => (input.trim() === '' ? Number.NaN : Number(input)),
  })(),
  window: Flags.integer({
    description: 'steps (with judge calls) in the windowed judge success rate',
    default: DEFAULT_DIAGNOSIS.window,
    min: 1,
  }),
}

export function diagnosisOptions(flags: {'judge-threshold': number; window: number}): DiagnosisOptions {
  const t = flags['judge-threshold']
  if (!Number.isFinite(t) || t < 0 || t > 1) {
    const got = Number.isNaN(t) ? 'a value that is not a number' : t
    throw new Errors.CLIError(`--judge-threshold wants a fraction from 0 to 1 (e.g. 0.8), got ${got}`, {exit: 2})
  }
  return {judgeThreshold: t, window: flags.window}
}
