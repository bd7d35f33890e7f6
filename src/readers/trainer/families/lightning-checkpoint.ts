import {type ParseContext, pyNumber} from '../context.js'
import {stripPrefixes} from '../line-prefix.js'
import type {LineFamily} from './family.js'

export const CHECKPOINT_FAMILY = 'lightning-checkpoint'

/**
 * Lightning's ModelCheckpoint: `Epoch 3, global step 400: 'val_loss' reached 0.15712 (best 0.15712), saving model to
 * '…' as top 4` (the monitored name unquoted before Lightning 1.6). `… was not in top k` lines carry no value.
 */
const REACHED =
  /^Epoch (\d+), global step (\d+): '?([A-Za-z_][\w./@-]*)'? reached (-?\d+(?:\.\d+)?(?:e[+-]?\d+)?|nan|-?inf)\b/i

/**
 * The monitored metric of Lightning's checkpoint callback, at the trainer's global step. Without a terminal (nohup,
 * SLURM) Lightning draws no bar, so these lines may be the only metrics of a run.
 */
export class LightningCheckpointFamily implements LineFamily {
  readonly name = CHECKPOINT_FAMILY
  readonly markers = [', global step ']

  parse(line: string, ctx: ParseContext): boolean {
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
}
