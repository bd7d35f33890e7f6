/**
 * The rules of `runlog check`: `FIGURE OP NUMBER`, e.g. `judge.success_rate >= 0.8` or `val.gsm8k.accuracy > 60`.
 * A malformed rule is a RuleError that says where (the 1-based column, and the file line for `--rules FILE`).
 */
import {RuleError} from '../errors.js'

export const OPS = ['<=', '>=', '==', '!=', '<', '>'] as const
export type Op = (typeof OPS)[number]

export interface Rule {
  /** The rule as written (trimmed). */
  text: string
  figure: string
  op: Op
  threshold: number
}

/** The figures a rule can name besides `<split>.accuracy` and `<split>.<dataset>.accuracy`. */
export const NAMED_FIGURES = [
  'judge.success_rate',
  'judge.parse_failure_rate',
  'judge.api_failure_rate',
  'cost.total_cost',
  'cost.avg_cost_per_sample',
  'checks.count',
  'warnings.count',
  'alerts.count',
] as const

export const SPLITS = ['train', 'val'] as const

export {RuleError}

const FIGURE = /[A-Za-z0-9_][A-Za-z0-9_./:-]*/y
const NUMBER = /[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y
const SPACE = /\s*/y

export function defaultRules(judgeThreshold: number): Rule[] {
  return [`judge.success_rate >= ${judgeThreshold}`, 'alerts.count == 0'].map((r) => parseRule(r, 'default rule'))
}

/** Parses one rule; `origin` names where it came from in error messages. */
export function parseRule(input: string, origin = '--rule'): Rule {
  // Positions are found in the rule with its leading spaces, reported in the rule as the message shows it (trimmed).
  const text = input.replace(/\s+$/, '')
  let at = skip(text, 0)
  const fail = (column: number, problem: string): never => {
    throw new RuleError(origin, text.trim(), column - (text.length - text.trimStart().length), problem)
  }
  if (at >= text.length) fail(1, 'empty rule (write FIGURE OP NUMBER, e.g. judge.success_rate >= 0.8)')
  FIGURE.lastIndex = at
  const fm = FIGURE.exec(text)
  if (!fm) fail(at + 1, `expected a figure name (e.g. judge.success_rate), found "${text[at]}"`)
  const figure = fm![0]
  checkFigure(figure, (offset, problem) => fail(at + 1 + offset, problem))
  at = skip(text, at + figure.length)
  const op = OPS.find((o) => text.startsWith(o, at))
  const ops = `(${OPS.join(' ')})`
  if (!op) {
    const where = at >= text.length ? ` after ${figure}` : `, found "${text.slice(at, at + 2)}"`
    fail(at + 1, `expected an operator ${ops}${where}`)
  }
  at = skip(text, at + op!.length)
  NUMBER.lastIndex = at
  const nm = NUMBER.exec(text)
  if (!nm)
    fail(at + 1, `expected a number${at >= text.length ? ` after ${op}` : `, found "${text.slice(at, at + 8)}"`}`)
  const threshold = Number(nm![0])
  at = skip(text, at + nm![0].length)
  if (at < text.length)
    fail(at + 1, `unexpected "${text.slice(at, at + 8)}" after the number (one rule per --rule or per line)`)
  return {text: text.trim(), figure, op: op!, threshold}
}

function skip(text: string, at: number): number {
  SPACE.lastIndex = at
  SPACE.exec(text)
  return SPACE.lastIndex
}

/** Whether a figure name is one `check` knows; reports the offset (in the name) of the first wrong part. */
function checkFigure(figure: string, fail: (offset: number, problem: string) => never): void {
  if ((NAMED_FIGURES as readonly string[]).includes(figure)) return
  const known = `${NAMED_FIGURES.join(', ')}, <split>.accuracy or <split>.<dataset>.accuracy`
  const dot = figure.indexOf('.')
  const head = dot < 0 ? figure : figure.slice(0, dot)
  if ((SPLITS as readonly string[]).includes(head)) {
    if (figure === `${head}.accuracy`) return
    if (figure.endsWith('.accuracy') && figure.length > head.length + '..accuracy'.length) return
    const problem = `unknown figure "${figure}": a split's figure is ${head}.accuracy or ${head}.<dataset>.accuracy`
    fail(dot < 0 ? figure.length : dot + 1, problem)
  }
  if (['judge', 'cost', 'checks', 'warnings', 'alerts'].includes(head))
    fail(dot < 0 ? figure.length : dot + 1, `unknown figure "${figure}" (one of ${known})`)
  fail(0, `unknown figure "${figure}" (one of ${known}; split is ${SPLITS.join(' or ')})`)
}

/** The rules of a rules file: one per line; blank lines and `#` comments (whole-line or trailing) are skipped. */
export function parseRulesFile(text: string, file: string): Rule[] {
  const rules: Rule[] = []
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const hash = raw.indexOf('#')
    const line = hash < 0 ? raw : raw.slice(0, hash)
    if (line.trim() === '') continue
    rules.push(parseRule(line, `${file}:${i + 1}`))
  }
  return rules
}

export function compare(value: number, op: Op, threshold: number): boolean {
  switch (op) {
    case '<':
      return value < threshold
    case '<=':
      return value <= threshold
    case '>':
      return value > threshold
    case '>=':
      return value >= threshold
    case '==':
      return value === threshold
    case '!=':
      return value !== threshold
  }
}
