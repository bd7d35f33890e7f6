import {mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {stdoutLogState} from '../../../src/readers/trainer/log-state.js'
import {stripPrefixes} from '../../../src/readers/trainer/line-prefix.js'
import {TrainerParser, parseTrainerLogFile} from '../../../src/readers/trainer/trainer-parser.js'
import type {StepMetricRow, TrainerEvents} from '../../../src/readers/trainer/types.js'
import {runlog} from '../../helpers/cli.js'
import {FIXTURES} from '../../helpers/fixtures.js'

interface Figures {
  points: number
  first_step: number
  last_step: number
  first: number
  last: number
  min: number
  max: number
}

/** Tallied by test/fixtures/trainer-logs/expected/tally.py (grep-level rules, not runlog's parser); states by hand. */
const EXPECTED = JSON.parse(
  readFileSync(join(FIXTURES, 'trainer-logs', 'expected', 'real-logs.json'), 'utf8'),
) as Record<
  string,
  {state: string; error_type: string | null; steps: number; last_step: number | null; metrics: Record<string, Figures>}
>

function series(e: TrainerEvents, key: string): StepMetricRow[] {
  return e.stepMetrics
    .filter((m) => m.key === key && m.family !== 'grpo-workflow')
    .sort((a, b) => a.step - b.step || a.line - b.line)
}

function figures(rows: StepMetricRow[]): Figures {
  const v = rows.map((r) => r.value)
  return {
    points: rows.length,
    first_step: rows[0].step,
    last_step: rows[rows.length - 1].step,
    first: v[0],
    last: v[v.length - 1],
    min: Math.min(...v),
    max: Math.max(...v),
  }
}

/** The state of a log as if it had last changed an hour ago (a copy just made would count as running). */
function stateOf(path: string, e: TrainerEvents): string {
  return stdoutLogState(path, e.end, statSync(path).mtimeMs + 60 * 60 * 1000)
}

describe('real trainer logs: steps, metrics, state and error as tallied without the parser', () => {
  for (const [log, want] of Object.entries(EXPECTED)) {
    it(log, async () => {
      const path = join(FIXTURES, log)
      const e = await parseTrainerLogFile(path)
      expect(stateOf(path, e)).toBe(want.state)
      expect(e.end.error?.type ?? null).toBe(want.error_type)
      for (const [key, f] of Object.entries(want.metrics)) {
        const got = figures(series(e, key))
        expect(got.points, key).toBe(f.points)
        expect([got.first_step, got.last_step], key).toEqual([f.first_step, f.last_step])
        for (const k of ['first', 'last', 'min', 'max'] as const) expect(got[k], `${key} ${k}`).toBeCloseTo(f[k], 9)
      }
      if (Object.keys(want.metrics).length > 0) {
        const steps = new Set(e.stepMetrics.filter((m) => m.family !== 'grpo-workflow').map((m) => m.step))
        expect(steps.size).toBe(want.steps)
        expect(Math.max(...steps)).toBe(want.last_step)
      } else {
        // Nothing in these logs looks like a metrics line: none may be made up.
        expect(e.stepMetrics).toEqual([])
      }
    })
  }
})

const HAND = join(FIXTURES, 'trainer-logs', 'handwritten')

describe('hand-written logs of the forms no public log was found for', () => {
  it('HF Trainer with string values, buffered bars, a Map bar first: the step comes from the epoch', async () => {
    const path = join(HAND, 'hf-trainer-string-values.log')
    const e = await parseTrainerLogFile(path)
    expect(series(e, 'loss').map((r) => [r.step, r.value])).toEqual([
      [5, 0.6931],
      [10, 0.5214],
      [15, 0.4102],
      [20, 0.3311],
      [30, 0.2876],
      [40, 0.2501],
    ])
    // The eval dict belongs to the step of the train dict before it; nothing past the 40 steps, nothing from `Map:`.
    expect(series(e, 'eval_gsm8k_accuracy').map((r) => r.step)).toEqual([15, 40])
    expect(Math.max(...e.stepMetrics.map((m) => m.step))).toBe(40)
    expect(series(e, 'train_runtime').map((r) => r.step)).toEqual([40])
    expect(e.end).toEqual({state: 'finished', error: null})
  })

  it('old verl (TinyZero / Logic-RL): val/test_score per data source, Hydra and a Ray-wrapped error unwrapped', async () => {
    const e = await parseTrainerLogFile(join(HAND, 'verl-tinyzero-test-score.log'))
    expect(series(e, 'val/test_score/countdown').map((r) => [r.step, r.value])).toEqual([
      [0, 0.031],
      [3, 0.254],
    ])
    expect(series(e, 'critic/score/mean').map((r) => r.step)).toEqual([1, 2, 3])
    expect(e.end.state).toBe('failed')
    expect(e.end.error).toMatchObject({type: 'NotImplementedError', message: ''})
  })

  it('OpenRLHF: the Episode bar postfix gives the steps, not the inner Train epoch bar', async () => {
    const e = await parseTrainerLogFile(join(HAND, 'openrlhf-postfix.log'))
    expect(series(e, 'reward').map((r) => [r.step, r.value])).toEqual([
      [1, 0.25],
      [2, 0.4],
      [3, 0.55],
    ])
    expect(series(e, 'policy_loss').map((r) => r.value)).toEqual([0.12, 0.08, 0.05])
  })

  it('Lightning: one point per bar position across epochs, v_num is not a metric, fit stopped = finished', async () => {
    const e = await parseTrainerLogFile(join(HAND, 'lightning-postfix.log'))
    expect(series(e, 'train_loss').map((r) => [r.step, r.value])).toEqual([
      [2, 0.9],
      [4, 0.7],
      [6, 0.6],
      [8, 0.5],
    ])
    expect(series(e, 'val_acc').map((r) => [r.step, r.value])).toEqual([
      [4, 0.6],
      [8, 0.7],
    ])
    expect(series(e, 'v_num')).toEqual([])
    expect(e.end.state).toBe('finished')
  })

  it('plain key=value lines behind timestamps and [rank0]:, no metric from prose, Killed = failed', async () => {
    const e = await parseTrainerLogFile(join(HAND, 'plain-kv-killed.log'))
    expect(series(e, 'loss').map((r) => [r.step, r.value])).toEqual([
      [1, 2.31],
      [2, 2.05],
      [3, 1.87],
    ])
    expect(new Set(e.stepMetrics.map((m) => m.key))).toEqual(new Set(['loss', 'lr', 'acc']))
    expect(e.end.state).toBe('failed')
    expect(e.end.error?.type).toBe('Killed')
  })
})

function parseLines(lines: string[]): TrainerEvents {
  const p = new TrainerParser()
  for (const l of lines) p.push(l)
  return p.finish()
}

describe('the step axis of HF / TRL dicts', () => {
  it('takes no step from a data-preparation bar (the dicts were numbered 1816… after a Map: bar)', () => {
    const e = parseLines([
      'Map: 100%|██████████| 1816/1816 [00:01<00:00, 1500.00 examples/s]',
      "{'loss': 0.5, 'learning_rate': 1e-05, 'epoch': 0.01}",
      "{'loss': 0.4, 'learning_rate': 1e-05, 'epoch': 0.02}",
    ])
    expect(series(e, 'loss').map((r) => r.step)).toEqual([1, 2])
  })

  it('uses the printed step when there is one, and never goes past the total', () => {
    const e = parseLines([
      "Train:   2%|▏         | 1/60 [00:42<41:47, 42.51s/it]{'loss': '0.3713', 'epoch': '0.08602', 'global_step/max_steps': '1/60'}",
      "Train:   8%|▊         | 5/60 [03:52<43:40, 47.64s/it]{'loss': '0.2992', 'epoch': '0.43', 'global_step/max_steps': '5/60'}",
      "{'loss': 0.2, 'step': 75, 'epoch': 6.0}",
    ])
    expect(series(e, 'loss').map((r) => r.step)).toEqual([1, 5, 60])
    expect(series(e, 'loss')[0].value).toBe(0.3713)
  })

  it('places buffered dicts by their epoch: steps 5, 10, 15 even when the bar printed 40–46 before them', () => {
    const bar = (p: number) => `${Math.floor((100 * p) / 200)}%|█| ${p}/200 [00:10<00:10, 1.00it/s]`
    const e = parseLines([
      '  Num Epochs = 4',
      '  Total optimization steps = 200',
      [40, 41, 42, 43, 44, 45, 46].map(bar).join('\r'),
      "{'loss': '0.9', 'epoch': '0.1'}",
      "{'loss': '0.8', 'epoch': '0.2'}",
      "{'eval_loss': '0.85', 'epoch': '0.2'}",
      "{'loss': '0.7', 'epoch': '0.3'}",
    ])
    expect(series(e, 'loss').map((r) => r.step)).toEqual([5, 10, 15])
    expect(series(e, 'eval_loss').map((r) => r.step)).toEqual([10])
  })
})

describe("Unsloth's one-line banner", () => {
  it('gives the steps per epoch: string epochs place the dicts', () => {
    const e = parseLines([
      '   \\\\   /|    Num examples = 1,720 | Num Epochs = 2 | Total steps = 216',
      "{'loss': '5.072', 'grad_norm': '20.19', 'learning_rate': '0', 'epoch': '0.009259'}",
      "{'loss': '4.409', 'grad_norm': '5.978', 'learning_rate': '5e-05', 'epoch': '0.2315'}",
      "{'train_runtime': '98.95', 'train_loss': '4.806', 'epoch': '0.2315'}",
    ])
    expect(series(e, 'loss').map((r) => [r.step, r.value])).toEqual([
      [1, 5.072],
      [25, 4.409],
    ])
    expect(e.end.state).toBe('finished')
  })
})

describe('the step axis when max_steps rounds the banner', () => {
  it('does not trust total / epochs when it is not whole (max_steps=1000 over 3 epochs): the bar gives the step', () => {
    const e = parseLines([
      '  Num Epochs = 3',
      '  Total optimization steps = 1,000',
      ' 20%|██        | 200/1000 [01:00<04:00,  3.33it/s]',
      "{'loss': 0.5, 'epoch': 0.5}",
      ' 40%|████      | 400/1000 [02:00<03:00,  3.33it/s]',
      "{'loss': 0.4, 'epoch': 1.0}",
    ])
    expect(series(e, 'loss').map((r) => r.step)).toEqual([200, 400])
  })
})

describe('how a stdout log ends', () => {
  const dir = mkdtempSync(join(tmpdir(), 'runlog-h16-end-'))
  afterAll(() => rmSync(dir, {recursive: true, force: true}))

  it('counts and names every worker traceback, behind Ray prefixes', () => {
    const lines: string[] = []
    // Two workers at a time, their lines interleaved as Ray prints them.
    for (let i = 0; i < 74; i += 2) {
      const [a, b] = [`(WorkerDict pid=${1000 + i}) `, `(WorkerDict pid=${1001 + i}, ip=10.0.0.3) `]
      lines.push(`${a}Traceback (most recent call last):`, `${b}Traceback (most recent call last):`)
      lines.push(
        `${a}  File "reward.py", line 3, in score`,
        `${b}  File "reward.py", line 3, in score`,
        `${a}    return a + b`,
      )
      lines.push(`${a}TypeError: unsupported operand type(s) for +: 'int' and 'str'`, `${b}    return a + b`)
      lines.push(`${b}TypeError: unsupported operand type(s) for +: 'int' and 'str'`)
    }
    for (let i = 0; i < 2; i++)
      lines.push('Traceback (most recent call last):', '  File "x.py", line 1', 'RuntimeError: boom')
    const e = parseLines(lines)
    const tb = e.warnings.filter((w) => w.kind === 'traceback')
    expect(tb.length).toBe(76)
    expect(tb.filter((w) => w.message.startsWith('TypeError')).length).toBe(74)
    expect(e.end.error?.type).toBe('RuntimeError')
  })

  it('a traceback in the middle of a run that goes on does not fail it; a final train_runtime finishes it', () => {
    const e = parseLines([
      "{'loss': 0.5, 'epoch': 0.5}",
      'Traceback (most recent call last):',
      '  File "x.py", line 1',
      'ValueError: bad sample',
      "{'loss': 0.4, 'epoch': 1.0}",
      "{'train_runtime': 10.0, 'train_loss': 0.45, 'epoch': 1.0}",
    ])
    expect(e.end).toEqual({state: 'finished', error: null})
  })

  it('an XLA out-of-memory RuntimeError after the last step fails the run, with its message', () => {
    const e = parseLines([
      'step=1 loss=0.5',
      'Traceback (most recent call last):',
      '  File "train.py", line 9, in <module>',
      'RuntimeError: XLA:TPU compile permanent error. Ran out of memory in memory space hbm.',
    ])
    expect(e.end.state).toBe('failed')
    expect(e.end.error).toEqual({
      type: 'RuntimeError',
      message: 'XLA:TPU compile permanent error. Ran out of memory in memory space hbm.',
      line: 4,
    })
  })

  it("Hydra without a traceback: the exception's repr after `Error executing job` is the error, after the fit", () => {
    const e = parseLines([
      "Epoch 0, global step 1: 'val_loss' reached 0.33322 (best 0.33322), saving model to 'a.ckpt' as top 1",
      '`Trainer.fit` stopped: `max_epochs=1` reached.',
      'Error executing job with overrides: []',
      "Error in call to target 'walkjump.cmdline.utils.instantiate_model_for_sample_mode':",
      'TypeError("f() got an unexpected keyword argument \'model_type\'")',
      'full_key: model',
    ])
    expect(e.end).toEqual({
      state: 'failed',
      error: {type: 'TypeError', message: "f() got an unexpected keyword argument 'model_type'", line: 5},
    })
  })

  it("a wandb console holding only the Trainer's final dict claims no step (its step, the last, is unknown)", () => {
    const e = parseLines([
      '',
      "{'train_runtime': 1958.6, 'train_samples_per_second': 6.736, 'train_loss': 3.3837, 'epoch': 1.0}",
    ])
    expect(e.steps).toEqual([])
    expect(e.stepMetrics).toEqual([])
    expect(e.end).toEqual({state: 'finished', error: null})
    // With a step seen before it, the final dict is at that step.
    const f = parseLines([
      "{'loss': 0.5, 'step': 40, 'epoch': 1.0}",
      "{'train_runtime': 9.0, 'train_loss': 0.5, 'epoch': 1.0}",
    ])
    expect(f.stepMetrics.filter((m) => m.key === 'train_loss').map((m) => m.step)).toEqual([40])
  })

  it('running while the file changed in the last 5 minutes, crashed after, finished/failed whatever its age', () => {
    const path = join(dir, 'live.log')
    writeFileSync(path, 'step=1 loss=0.5\n')
    const now = Date.now()
    utimesSync(path, new Date(now - 60_000), new Date(now - 60_000))
    expect(stdoutLogState(path, {state: null, error: null}, now)).toBe('running')
    expect(stdoutLogState(path, {state: null, error: null}, now + 10 * 60_000)).toBe('crashed')
    expect(stdoutLogState(path, {state: 'finished', error: null}, now + 10 * 60_000)).toBe('finished')
    // A fresh copy of a dead log: the dates it prints near its end are months old.
    writeFileSync(path, '2025-01-02 03:04:05 INFO step=1 loss=0.5\n')
    expect(stdoutLogState(path, {state: null, error: null}, Date.now())).toBe('crashed')
  })
})

describe("Lightning's checkpoint lines (no bar without a terminal)", () => {
  it('give the monitored metric at the global step; `was not in top k` gives nothing; bar metrics are kept', () => {
    const e = parseLines([
      "Epoch 0, global step 50: 'val_loss' reached 0.50000 (best 0.50000), saving model to 'epoch=0-step=50.ckpt'",
      "Epoch 1, global step 100: 'val_loss' was not in top 1",
      'Epoch 2, global step 150: val_acc reached 0.71000 (best 0.71000), saving model to "epoch=2-step=150.ckpt"',
      'Epoch 2: 100%|██████████| 50/50 [00:05<00:00, 9.8it/s, v_num=0, train_loss=0.42]',
    ])
    expect(series(e, 'val_loss').map((r) => [r.step, r.value])).toEqual([[50, 0.5]])
    expect(series(e, 'val_acc').map((r) => [r.step, r.value])).toEqual([[150, 0.71]])
    expect(series(e, 'train_loss').map((r) => [r.step, r.value])).toEqual([[150, 0.42]])
  })
})

describe('wandb runs whose console holds only the final train_runtime dict', () => {
  it('warn of no stdout step missing from the history (the dict is at the last step, not step 1)', async () => {
    const runs = ['minigpt-rlhf__run-20251117_005414-wx5ovl9b', 'minigpt-rlhf__run-20251117_015649-od3sy65x']
    const results = await Promise.all(runs.map((run) => runlog(['summarize', join(FIXTURES, 'corpus', run), '--json'])))
    for (const [i, r] of results.entries()) {
      const warnings = (JSON.parse(r.stdout) as {warnings: string[]}).warnings
      expect(
        warnings.filter((w) => w.includes('appear in stdout but not in the wandb history')),
        runs[i],
      ).toEqual([])
    }
  })
})

describe('API calls', () => {
  it('counts POSTs only: the HEAD and GET requests of a model download are not model API calls', () => {
    const e = parseLines([
      '20:13:23 INFO HTTP Request: HEAD https://huggingface.co/Qwen/Qwen3.5-9B/resolve/main/config.json "HTTP/1.1 307 Temporary Redirect"',
      '20:13:23 INFO HTTP Request: GET https://huggingface.co/api/models/Qwen/Qwen3.5-9B "HTTP/1.1 200 OK"',
      'HTTP Request: POST https://api.openai.com/v1/chat/completions "HTTP/1.1 200 OK"',
    ])
    expect(e.apiCalls.map((c) => c.method)).toEqual(['POST'])
  })
})

describe('line prefixes', () => {
  it('strips Ray, torchrun, timestamp and log-level prefixes, in any order', () => {
    expect(stripPrefixes('(TaskRunner pid=12, ip=10.0.0.1) step:1 - a:1')).toBe('step:1 - a:1')
    expect(stripPrefixes('[rank0]: Traceback (most recent call last):')).toBe('Traceback (most recent call last):')
    expect(stripPrefixes('2025-04-19 20:05:50,607\tINFO worker.py:1832 -- x')).toBe('worker.py:1832 -- x')
    expect(stripPrefixes('[2025-08-04 12:26:42,932][/a/b.py][INFO] - Saved')).toBe('Saved')
    expect(stripPrefixes('03:30:05 INFO epoch 1  step 10')).toBe('epoch 1  step 10')
    expect(stripPrefixes('plain text')).toBe('plain text')
  })
})

describe('per-dataset validation from stdout (summarize --json)', () => {
  const datasets = async (log: string) => {
    const r = await runlog(['summarize', join(HAND, log), '--json'])
    expect(r.status).toBe(0)
    const out = JSON.parse(r.stdout) as {
      datasets: Array<{
        split: string
        source: string
        accuracy: number | null
        avg_reward: number | null
        origin: string
      }>
    }
    return out.datasets.map((d) => [d.split, d.source, d.accuracy, d.avg_reward, d.origin])
  }

  it('old verl val/test_score/<data_source>, at the last validation', async () => {
    expect(await datasets('verl-tinyzero-test-score.log')).toEqual([
      ['val', 'countdown', null, 0.254, 'logged'],
      ['val', 'kk_logic', null, 0.31, 'logged'],
    ])
  })

  it('HF / TRL eval dicts that name a dataset (eval_<name>_accuracy), at the last evaluation, in percent', async () => {
    expect(await datasets('hf-trainer-string-values.log')).toEqual([
      ['val', 'gsm8k', 72, null, 'logged'],
      ['val', 'math', 41, null, 'logged'],
    ])
  })

  it("ROLL's val/<dataset>/score/mean", async () => {
    expect(await datasets('roll-rlvr.log')).toEqual([
      ['val', 'gsm8k', null, 0.77, 'logged'],
      ['val', 'math', null, 0.41, 'logged'],
    ])
  })
})
