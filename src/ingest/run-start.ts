import type {Table} from 'apache-arrow'
import type {ParseOutcome, TableSink} from './console-parsing.js'
import type {RunInfo} from './evidence-types.js'

export type TrainerParse = (onTable: TableSink) => Promise<ParseOutcome>

/** A run as its kind of input starts it: its log is read, its trainer output not yet parsed. */
export interface RunStart {
  runId: string
  /** Its `sources` grow as more is read (the console's line count, a stdout log). */
  info: RunInfo
  early: Record<string, Iterable<Table>>
  /** Warnings so far (the log's own); `damage` those among them about reading its files. */
  warnings: string[]
  damage: string[]
  /** Found while the samples of `early` are read: reported after the log's own warnings. */
  tableWarnings: string[]
  /** About how the run ended: reported after the tables' warnings. */
  stateWarnings: string[]
  /** Parses its own trainer output; null when a stdout log is parsed instead. */
  parse: TrainerParse | null
  /** A stdout log to parse instead: `--stdout`, or `files/output.log` of a run whose `.wandb` holds no record. */
  stdout: string | null
  /** `stdout` stands for a `.wandb` that holds no record: the run's steps are those of the stdout log. */
  stepsFromStdout: boolean
  /** The trainer output parsed is the `.wandb`'s console (its line count is reported). */
  fromConsole: boolean
}
