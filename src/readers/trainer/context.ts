import type {
  ApiCallRow,
  CollectorSummaryRow,
  JudgeEventRow,
  SampleRow,
  Split,
  StepMetricRow,
  StepRow,
  StepTallyRow,
  RunError,
  WarningRow,
} from './types.js'

/** Calls not yet attributed to a sample are kept at most this many (a log without sample blocks must not grow it). */
const MAX_PENDING_CALLS = 10_000

/** Distinct values `ParseContext.intern` shares at most. */
const MAX_INTERNED = 10_000

/**
 * State shared by the pattern families while one log is parsed: the current step and split, the event rows,
 * and the API calls waiting to be attributed to the next sample.
 */
export class ParseContext {
  /** 1-based number of the line being parsed. */
  lineNo = 0
  step: number | null = null
  split: Split = 'train'
  /** Set by a judge prompt line: the next API call is the judge's. */
  judgePending = false
  /** Line of the last line a trainer family (not noise) used: an exception after it ended the run. */
  lastEventLine = 0
  /** Line of the trainer's end-of-training summary (`train_runtime`, "Training completed", a full training bar). */
  finishedLine: number | null = null
  /** The exception or kill seen last. */
  lastError: RunError | null = null

  readonly steps: StepRow[] = []
  readonly samples: SampleRow[] = []
  readonly judgeEvents: JudgeEventRow[] = []
  readonly apiCalls: ApiCallRow[] = []
  readonly stepTallies: StepTallyRow[] = []
  readonly collectorSummaries: CollectorSummaryRow[] = []
  readonly stepMetrics: StepMetricRow[] = []
  readonly warnings: WarningRow[] = []

  /** API calls since the last sample closed (or the last step/section boundary). */
  pendingCalls: ApiCallRow[] = []
  /** The sample each attributed call belongs to. */
  readonly callOwner = new Map<ApiCallRow, SampleRow>()
  /** The last API call, to which `Token usage` / `Cost` lines attach. */
  lastCall: ApiCallRow | null = null

  private readonly stepIndex = new Map<string, StepRow>()
  private readonly interned = new Map<string, string>()

  /**
   * One shared, standalone copy of a value that repeats across many rows (an API call's method and URL): a regex
   * capture is a slice that keeps its whole line alive, and a long run makes hundreds of thousands of calls.
   * Distinct values are kept up to MAX_INTERNED; past that, values are copied but not shared.
   */
  intern(value: string): string {
    const hit = this.interned.get(value)
    if (hit !== undefined) return hit
    // A fresh flat string, not a view of the line (V8 keeps slices of 13+ characters as views).
    const own = Buffer.from(value, 'utf8').toString('utf8')
    if (this.interned.size < MAX_INTERNED) this.interned.set(own, own)
    return own
  }

  constructor(readonly origin: string) {}

  /** The step row of `step` for `family`, created on first sight. */
  stepRow(step: number, family: string, maxStep: number | null = null): StepRow {
    const id = `${family}|${step}`
    let row = this.stepIndex.get(id)
    if (!row) {
      row = {
        step,
        max_step: maxStep,
        family,
        batch_problems: null,
        train_correct: null,
        train_total: null,
        avg_correctness_score: null,
        val_correct: null,
        val_total: null,
        complete: false,
        origin: 'stdout',
        line: this.lineNo,
      }
      this.stepIndex.set(id, row)
      this.steps.push(row)
    } else if (maxStep !== null) {
      row.max_step = maxStep
    }
    return row
  }

  existingStep(step: number, family: string): StepRow | undefined {
    return this.stepIndex.get(`${family}|${step}`)
  }

  warn(kind: string, message: string, line: number | null = this.lineNo): void {
    this.warnings.push({step: this.step, kind, message, origin: 'stdout', line})
  }

  addCall(call: ApiCallRow): void {
    this.apiCalls.push(call)
    this.lastCall = call
    this.pendingCalls.push(call)
    if (this.pendingCalls.length > MAX_PENDING_CALLS) this.pendingCalls.shift()
  }

  /** Hands the pending calls to `sample` (they were made for it) and starts a new pending list. */
  takeCalls(sample: SampleRow): void {
    for (const c of this.pendingCalls) this.callOwner.set(c, sample)
    this.pendingCalls = []
  }

  /** A section boundary (step banner, tallies, validation start): pending calls stay unattributed. */
  dropPendingCalls(): void {
    if (this.pendingCalls.length > 0) this.pendingCalls = []
    this.judgePending = false
  }
}

/** Parses a number as printed by Python (`nan`, `inf`, `1e-06`, `True`); null when it is not one. */
export function pyNumber(text: string): number | null {
  const t = text.trim()
  if (t.length === 0) return null
  const n = Number(t)
  if (!Number.isNaN(n)) return n
  switch (t.toLowerCase()) {
    case 'nan':
      return Number.NaN
    case 'inf':
    case '+inf':
    case 'infinity':
      return Number.POSITIVE_INFINITY
    case '-inf':
    case '-infinity':
      return Number.NEGATIVE_INFINITY
    case 'true':
      return 1
    case 'false':
      return 0
  }
  return null
}
