import {Errors, Flags} from '@oclif/core'
import {DEFAULT_DIAGNOSIS, type DiagnosisOptions} from '../metrics/types.js'
import {CUSTOM_FLAG_VALUES, diagnosisOptionsOf} from './flag-values.js'

/** The diagnosis' parameters, shared by summarize, compare and check. */
export const diagnosisFlags = {
  'judge-threshold': Flags.custom<number>({
    description: 'judge success rate (a fraction) below which the judge is unhealthy',
    default: DEFAULT_DIAGNOSIS.judgeThreshold,
    // Checked in diagnosisOptions: an error thrown here would lose its flag-error exit code (2) on the way out.
    parse: async (input) => CUSTOM_FLAG_VALUES['judge-threshold'](input) as number,
  })(),
  window: Flags.integer({
    description: 'steps (with judge calls) in the windowed judge success rate',
    default: DEFAULT_DIAGNOSIS.window,
    min: 1,
  }),
}

export function diagnosisOptions(flags: {'judge-threshold': number; window: number}): DiagnosisOptions {
  const options = diagnosisOptionsOf(flags)
  if (typeof options === 'string') throw new Errors.CLIError(options, {exit: 2})
  return options
}
