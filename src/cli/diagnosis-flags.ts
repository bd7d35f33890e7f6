import {Flags} from '@oclif/core'
import {DEFAULT_DIAGNOSIS, type DiagnosisOptions} from '../metrics/types.js'

/** The diagnosis' parameters, shared by summarize, compare and check. */
export const diagnosisFlags = {
  'judge-threshold': Flags.custom<number>({
    description: 'judge success rate (a fraction) below which the judge is unhealthy',
    default: DEFAULT_DIAGNOSIS.judgeThreshold,
    async parse(input) {
      const n = Number(input)
      if (input.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new Error(`--judge-threshold wants a fraction from 0 to 1 (e.g. 0.8), got ${input}`)
      return n
    },
  })(),
  window: Flags.integer({
    description: 'steps (with judge calls) in the windowed judge success rate',
    default: DEFAULT_DIAGNOSIS.window,
    min: 1,
  }),
}

export function diagnosisOptions(flags: {'judge-threshold': number; window: number}): DiagnosisOptions {
  return {judgeThreshold: flags['judge-threshold'], window: flags.window}
}
