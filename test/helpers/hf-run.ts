import {mkdirSync, mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {WandbWriter} from '../support/wandb-writer.js'

/** Python's `round(x, 4)` as the HF Trainer prints it in its stdout dicts. */
const printed = (x: number) => String(Math.round(x * 1e4) / 1e4)

/** The logged rows of the run below: train rows every 5 steps, eval rows at steps 8 and 16, out of 20 steps. */
export const HF_TRAIN = [
  {step: 5, loss: 1.20341, lr: 4e-5, epoch: 0.25},
  {step: 10, loss: 0.90127, lr: 3e-5, epoch: 0.5},
  {step: 15, loss: 0.70002, lr: 2e-5, epoch: 0.75},
  {step: 20, loss: 0.65119, lr: 1e-5, epoch: 1},
]
export const HF_EVAL = [
  {step: 8, loss: 1.10447, epoch: 0.4},
  {step: 16, loss: 0.95533, epoch: 0.8},
]

/**
 * A wandb run of the HF Trainer (logging_steps 5, eval_steps 8, 20 steps), written as its WandbCallback writes one:
 * the Trainer's dicts in the console and in the history, renamed (`train/loss`, `eval/loss`) and full precision, with
 * `train/global_step` in every record while `_step` counts the records (0, 1, …). `skip`: a trainer step whose history
 * record is left out (as if wandb dropped it).
 */
export function hfWandbRun(opts: {skip?: number} = {}): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'runlog-hf-')), 'offline-run-20240301_120000-hftrain1')
  mkdirSync(dir)
  const w = WandbWriter.open(join(dir, 'run-hftrain1.wandb'))
  const t0 = 1_709_294_400
  w.header('0.16.3')
  w.run({runId: 'hftrain1', project: 'huggingface', startTime: t0})
  const rows = [
    ...HF_TRAIN.map((r) => ({...r, kind: 'train' as const})),
    ...HF_EVAL.map((r) => ({...r, lr: 0, kind: 'eval' as const})),
  ].sort((a, b) => a.step - b.step)
  let record = 0
  const history = (step: number, items: Record<string, number>) => {
    if (step === opts.skip) return
    w.history(record, {...items, 'train/global_step': step, _runtime: step, _timestamp: t0 + step, _step: record})
    record++
  }
  for (const r of rows) {
    const bar = `${String(5 * r.step).padStart(3)}%|${'█'.repeat(r.step / 2)}| ${r.step}/20 [00:${String(r.step).padStart(2, '0')}<00:00,  1.00it/s]`
    if (r.kind === 'train') {
      w.output(
        'stdout',
        `${bar}\n{'loss': ${printed(r.loss)}, 'learning_rate': ${r.lr}, 'epoch': ${r.epoch}}\n`,
        t0 + r.step,
      )
      history(r.step, {'train/loss': r.loss, 'train/learning_rate': r.lr, 'train/epoch': r.epoch})
    } else {
      w.output(
        'stdout',
        `${bar}\n{'eval_loss': ${printed(r.loss)}, 'eval_runtime': 0.51, 'epoch': ${r.epoch}}\n`,
        t0 + r.step,
      )
      history(r.step, {'eval/loss': r.loss, 'eval/runtime': 0.51, 'train/epoch': r.epoch})
    }
  }
  w.output(
    'stdout',
    "{'train_runtime': 21.5, 'train_steps_per_second': 0.93, 'train_loss': 0.8573, 'epoch': 1.0}\n",
    t0 + 21,
  )
  history(20, {
    'train/train_runtime': 21.5,
    'train/train_steps_per_second': 0.93,
    'train/train_loss': 0.857314,
    'train/epoch': 1,
  })
  w.exit(0, 22)
  w.close()
  return dir
}
