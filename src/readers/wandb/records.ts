/** The parts of `wandb_internal.Record` that runlog reads (see the README's format notes). */

export interface KeyValue {
  /** `key`, or `nested_key` joined with `.`. */
  key: string
  /** JSON text; may hold the bare words NaN, Infinity, -Infinity. */
  valueJson: string
}

export interface HistoryRecord {
  /** `step.num`; without one, the `_step` item (else 0). */
  step: number
  items: KeyValue[]
}

export interface SummaryRecord {
  update: KeyValue[]
  remove: string[]
}

export type ConfigRecord = SummaryRecord

export interface OutputRecord {
  stream: 'stdout' | 'stderr'
  /** Unix seconds, or null when absent. */
  timestamp: number | null
  /** A raw fragment of the console stream. */
  text: string
}

export interface StatsRecord {
  timestamp: number | null
  items: KeyValue[]
}

export interface ExitRecord {
  exitCode: number
  runtime: number
}

export interface RunRecord {
  runId: string
  entity: string
  project: string
  displayName: string
  group: string
  jobType: string
  notes: string
  tags: string[]
  host: string
  sweepId: string
  startingStep: number
  /** Unix seconds, or null. */
  startTime: number | null
  resumed: boolean
  runtime: number
  config: KeyValue[]
}

export interface HeaderRecord {
  producer: string
  minConsumer: string
}

export interface TelemetryRecord {
  pythonVersion: string
  cliVersion: string
}

export interface MetricRecord {
  name: string
  globName: string
  stepMetric: string
}

export interface FilesRecord {
  paths: string[]
}

/** Record types runlog decodes, by their oneof field number. */
export const RecordField = {
  history: 2,
  summary: 3,
  output: 4,
  config: 5,
  files: 6,
  stats: 7,
  telemetry: 11,
  metric: 12,
  outputRaw: 13,
  run: 17,
  exit: 18,
  header: 21,
} as const

/** Callbacks for the record types a caller wants; record types without a callback are skipped undecoded. */
export interface RecordVisitor {
  history?: (r: HistoryRecord) => void
  /** Cheaper than `history`: only the step of each history record. */
  historyStep?: (step: number) => void
  summary?: (r: SummaryRecord) => void
  /** With `summary`: only these summary keys are decoded (the others are skipped unread). */
  summaryKeys?: ReadonlySet<string>
  config?: (r: ConfigRecord) => void
  output?: (r: OutputRecord) => void
  /** Instead of `output`; valid during the call only. False when invalid (counted as damage). */
  outputBytes?: (body: Uint8Array) => boolean
  stats?: (r: StatsRecord) => void
  exit?: (r: ExitRecord) => void
  run?: (r: RunRecord) => void
  header?: (r: HeaderRecord) => void
  telemetry?: (r: TelemetryRecord) => void
  metric?: (r: MetricRecord) => void
  files?: (r: FilesRecord) => void
}
