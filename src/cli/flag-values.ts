import type {DiagnosisOptions} from '../metrics/types.js'

/**
 * The values of runlog's custom flags, without oclif: the flag definitions (report and diagnosis flags, summarize's
 * `--metrics`) and the fast path (fast-argv.ts) both parse them here. `undefined` means the text is not a value.
 */
export const CUSTOM_FLAG_VALUES: Readonly<Record<string, (input: string) => unknown>> = {
  metrics: metricsValue,
  // Checked in diagnosisOptionsOf: a flag that fails to parse would lose its exit code (2) on oclif's way out.
  'judge-threshold': (input: string) => (input.trim() === '' ? Number.NaN : Number(input)),
}

export function metricsValue(input: string): number | 'all' | undefined {
  if (input === 'all') return 'all'
  if (/^[1-9]\d*$/.test(input)) return Number(input)
  return undefined
}

/** The diagnosis' parameters, or the one-line problem with `--judge-threshold`. */
export function diagnosisOptionsOf(flags: {'judge-threshold': number; window: number}): DiagnosisOptions | string {
  const t = flags['judge-threshold']
  if (!Number.isFinite(t) || t < 0 || t > 1) {
    const got = Number.isNaN(t) ? 'a value that is not a number' : t
    return `--judge-threshold wants a fraction from 0 to 1 (e.g. 0.8), got ${got}`
  }
  return {judgeThreshold: t, window: flags.window}
}
