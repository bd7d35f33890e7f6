/** One tqdm bar update: `Train epoch [1/1]:  40%|████      | 4/10 [00:10<00:15,  2.5s/it, loss=0.3]`. */
export interface BarUpdate {
  /** The text before the percentage (`Map`, `Training Progress`, `Epoch 3`; empty for the HF Trainer's bar). */
  label: string
  position: number
  total: number
  /** What follows the times and rate inside the brackets: tqdm's postfix (`loss=0.3, kl=0.01`), or ''. */
  postfix: string
  /** Character offset just past the bar (a dict printed right after it starts there). */
  end: number
}

const BAR = /(\d{1,3})%\|[^|]*\|\s*(\d+)\/(\d+)\s*\[([^\]]*)\]?/g

/** Bars that prepare data, load weights or download: their positions are not training steps. */
const DATA_BAR = new RegExp(
  '^(?:map|filter|tokeniz|loading|load|download|fetching|generating|saving|casting|processing|processed|extract|' +
    'resolving|shuffl|creating|computing|preprocess|converting|adding|evaluat|sampling|capturing|build|writing|' +
    'reading|uploading|running tokenizer|grouping|packing)',
  'i',
)
const DATA_UNIT = /(?:examples|ex|ba|B|kB|MB|GB|MiB|GiB|files|shards|prompts|toks|tokens|samples|docs)\/s/

/** Every tqdm bar update in one `\r`-piece of a line, in order. */
export function barUpdates(line: string): BarUpdate[] {
  const out: BarUpdate[] = []
  BAR.lastIndex = 0
  let from = 0
  for (let m = BAR.exec(line); m; m = BAR.exec(line)) {
    const inner = m[4]
    const comma = inner.indexOf(',')
    // `00:10<00:15, 2.5s/it, loss=0.3`: the postfix follows the rate.
    const second = comma === -1 ? -1 : inner.indexOf(',', comma + 1)
    out.push({
      label: line
        .slice(from, m.index)
        .replace(/[:\s]+$/, '')
        .trim(),
      position: Number(m[2]),
      total: Number(m[3]),
      postfix: second === -1 ? '' : inner.slice(second + 1).trim(),
      end: m.index + m[0].length,
    })
    from = m.index + m[0].length
  }
  return out
}

/** Whether a bar may count training steps: no data-preparation label or unit (`Map:`, `examples/s`). */
export function mayBeTrainingBar(bar: BarUpdate, line: string): boolean {
  const label = bar.label.replace(/^.*\)\s*/, '') // a Ray prefix `(TaskRunner pid=1) `
  if (DATA_BAR.test(label)) return false
  return !DATA_UNIT.test(line.slice(Math.max(0, bar.end - 80), bar.end))
}
