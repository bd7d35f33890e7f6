import type {ReadProgress} from '../readers/read-progress.js'
import type {RunFollower} from './run-follower.js'

/** What one run to analyse is made of: where its events come from. */
export interface RunInput {
  /** A run directory, a `.wandb` file or a trainer stdout log. */
  path: string
  /** A trainer stdout log to read instead of the console stored in the run. */
  stdout?: string
  /** A live run being followed (`--follow`): its log is read incrementally by the follower. */
  follower?: RunFollower
  /** Only when read in this thread: a run read on a worker thread reports nothing. */
  onProgress?: ReadProgress
}
