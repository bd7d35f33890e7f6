import {pyNumber} from '../context.js'

/** `'loss': 0.5`, `'loss': '0.5'` (recent transformers print strings), `'kl': np.float64(0.1)`. */
const PAIR = /'([^']+)':\s*(?:'([^']*)'|(?:np\.float\d*\()?(-?[\w.+-]+)\)?)/g

/** A dict's numbers, and how precise its `epoch` is (half the last printed digit's unit). */
export interface Dict {
  values: Array<[string, number]>
  epoch: number | null
  epochHalfUnit: number
  step: number | null
  total: number | null
}

/** The numbers of a printed dict, its step and total when printed (`global_step/max_steps: '3/60'`). */
export function readDict(body: string): Dict {
  const dict: Dict = {values: [], epoch: null, epochHalfUnit: 0.5, step: null, total: null}
  PAIR.lastIndex = 0
  for (let m = PAIR.exec(body); m; m = PAIR.exec(body)) {
    const key = m[1]
    const text = m[2] ?? m[3]
    if (key === 'global_step/max_steps') {
      const sm = /^(\d+)\/(\d+)$/.exec(text)
      if (sm) {
        dict.step = Number(sm[1])
        dict.total = Number(sm[2])
      }
      continue
    }
    const v = pyNumber(text)
    if (v === null) continue
    if ((key === 'step' || key === 'global_step') && Number.isInteger(v)) dict.step ??= v
    if (key === 'epoch') {
      dict.epoch = v
      dict.epochHalfUnit = halfUnit(text, m[2] !== undefined)
    }
    dict.values.push([key, v])
  }
  return dict
}

/**
 * Half the unit of the last digit of a printed number: how far the true value may be from it. Strings are printed by
 * transformers with 4 significant digits (`'0.05'` is 0.05000); floats as Python prints them (`0.01`, rounded by older
 * versions to 2 decimals, or every digit).
 */
function halfUnit(text: string, quoted: boolean): number {
  const v = Math.abs(Number(text))
  if (quoted && v > 0 && !/e/i.test(text)) return 0.5 * 10 ** (Math.floor(Math.log10(v)) - 3)
  const dot = text.indexOf('.')
  const decimals = dot === -1 ? 0 : text.length - dot - 1
  return 0.5 * 10 ** -decimals
}
