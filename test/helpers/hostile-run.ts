/**
 * A wandb run whose names and dataset labels are hostile: terminal escapes (clear screen, an OSC-8 hyperlink), NUL,
 * an 8-bit CSI, DEL, a bidi override, Markdown/HTML metacharacters and spreadsheet formulas. Its samples come from
 * per-step wandb Tables, so the labels reach every output unchanged by the stdout cleaner.
 */
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {WandbWriter} from '../support/wandb-writer.js'

export const CLEAR = '\x1b[2J'
export const OSC8 = '\x1b]8;;http://x\x07y\x1b]8;;\x07'
export const FORMULA = '=HYPERLINK("http://x","y")'

export const HOSTILE_NAME = `name${CLEAR}<script>alert(1)</script>|x\x00\x9b31m`
export const HOSTILE_PROJECT = `proj${OSC8}|&<b>`
/** Dataset labels: a formula, escapes, NUL/C1/DEL/bidi, and cells a spreadsheet would evaluate. */
export const HOSTILE_SOURCES = [
  FORMULA,
  `gsm${CLEAR}8k|<script>&`,
  `link${OSC8}`,
  `nul\x00c1\x9bdel\x7fbidi\u202eevil`,
  '@SUM(1+1)',
  '-2+3',
  '\tTAB',
]

/** The path of a wandb Table the run refers to but does not have. */
export const MISSING_TABLE = `media/table/gone${CLEAR}.table.json`

/** Characters no rendering may carry raw: C0 (but newline where a format needs it), DEL, C1, bidi controls. */
export const RAW_CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/

/** Writes the run below `parent` and returns its directory. */
export function writeHostileRun(parent: string, runId = 'h0stile1'): string {
  const dir = join(parent, `offline-run-20260101_000000-${runId}`)
  mkdirSync(join(dir, 'files', 'media', 'table'), {recursive: true})
  const w = WandbWriter.open(join(dir, `run-${runId}.wandb`))
  w.header('0.23.0')
  w.run({runId, project: HOSTILE_PROJECT, displayName: HOSTILE_NAME, startTime: 1767225600})
  const columns = [
    'step',
    'split',
    'sample_id',
    'source',
    'correctness',
    'reward',
    'cost',
    'executor_calls',
    'judge_calls',
    'judge_status',
    'verdict',
  ]
  for (let step = 1; step <= 3; step++) {
    const data = HOSTILE_SOURCES.flatMap((source, i) =>
      [0, 1].map((k) => {
        const correctness = (step + i + k) % 2 === 0 ? 1 : 0
        const verdict = correctness ? 'correct' : 'incorrect'
        const id = `S${i + 1}-${k + 1}/2`
        return [step, 'train', id, source, correctness, correctness, 0.001 * (i + 1), 1, 1, 'success', verdict]
      }),
    )
    const path = `media/table/samples_${step}_0000${step}.table.json`
    writeFileSync(join(dir, 'files', path), JSON.stringify({columns, data}))
    w.history(step, {
      _step: step,
      samples: {_type: 'table-file', path, ncols: columns.length, nrows: data.length},
      // A logged figure per hostile label, so the checks table and history keys carry them too.
      [`dataset/${HOSTILE_SOURCES[1]}/accuracy`]: 99,
      [`weird${CLEAR}key`]: `value${OSC8}`,
      // A table file that is not there: its warning quotes the hostile path.
      ...(step === 3 ? {val_samples: {_type: 'table-file', path: MISSING_TABLE, ncols: 1, nrows: 1}} : {}),
    })
  }
  w.exit(0, 30)
  w.close()
  return dir
}
