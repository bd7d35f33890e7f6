import {type ParseContext, pyNumber} from '../context.js'
import {stripPrefixes} from '../line-prefix.js'

/** The `family` of the metrics read from Lightning's checkpoint lines. */
export const CHECKPOINT_FAMILY = 'lightning-checkpoint'
/**
 * The gate's marker for these lines: the `step=` of Lightning's default checkpoint name (`epoch=0-step=1.ckpt`,
 * plain-kv's marker too, so the one scan of every line costs nothing more). A checkpoint named without `step=` is not
 * read.
 */
export const CHECKPOINT_MARKER = 'step='

/**
 * Lightning's ModelCheckpoint: `Epoch 3, global step 400: 'val_loss' reached 0.15712 (best 0.15712), saving model to
 * '…' as top 4` (the monitored name unquoted before Lightning 1.6). `… was not in top k` lines carry no value.
 */
const REACHED =
  /^Epoch (\d+), global step (\d+): '?([A-Za-z_][\w./@-]*)'? reached (-?\d+(?:\.\d+)?(?:e[+-]?\d+)?|nan|-?inf)\b/i

/**
 * Reads the monitored metric of Lightning's checkpoint callback, at the trainer's global step; false when `line` is
 * not such a line. Without a terminal (nohup, SLURM) Lightning draws no bar, so these lines may be a run's only
 * metrics. Read by the progress-postfix family (Lightning's other lines), not a family of its own: each family in the
 * chain costs every offered line a call.
 */
export function readCheckpointLine(line: string, ctx: ParseContext): boolean {
  if (line.indexOf(', global step ') === -1) return false
  const m = REACHED.exec(stripPrefixes(line).trim())
  if (m === null) return false
  const value = pyNumber(m[4])
  if (value === null) return false
  const step = Number(m[2])
  ctx.stepMetrics.push({step, key: m[3], value, family: CHECKPOINT_FAMILY, origin: 'stdout', line: ctx.lineNo})
  ctx.stepRow(step, CHECKPOINT_FAMILY).complete = true
  ctx.step = step
  return true
}
