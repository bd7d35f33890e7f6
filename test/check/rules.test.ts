import {describe, expect, it} from 'vitest'
import {RuleError, compare, defaultRules, parseRule, parseRulesFile} from '../../src/check/rules.js'

/** The error a malformed rule gives. */
function errorOf(rule: string, origin?: string): RuleError {
  try {
    parseRule(rule, origin)
  } catch (error) {
    expect(error).toBeInstanceOf(RuleError)
    return error as RuleError
  }
  throw new Error(`"${rule}" was accepted`)
}

describe('parseRule', () => {
  it.each([
    ['judge.success_rate >= 0.8', 'judge.success_rate', '>=', 0.8],
    ['  judge.api_failure_rate<0.05  ', 'judge.api_failure_rate', '<', 0.05],
    ['cost.total_cost<=12.5', 'cost.total_cost', '<=', 12.5],
    ['cost.avg_cost_per_sample > 1e-3', 'cost.avg_cost_per_sample', '>', 0.001],
    ['val.gsm8k.accuracy > 60', 'val.gsm8k.accuracy', '>', 60],
    ['val.openai/gsm8k.accuracy != -1', 'val.openai/gsm8k.accuracy', '!=', -1],
    ['train.squad.v2.accuracy >= .5', 'train.squad.v2.accuracy', '>=', 0.5],
    ['train.accuracy == 50', 'train.accuracy', '==', 50],
    ['checks.count == 0', 'checks.count', '==', 0],
    ['warnings.count <= 3', 'warnings.count', '<=', 3],
    ['alerts.count == 0', 'alerts.count', '==', 0],
  ])('%s', (text, figure, op, threshold) => {
    expect(parseRule(text)).toEqual({text: text.trim(), figure, op, threshold})
  })

  it.each([
    ['judge.success_rate >> 0.8', 21, 'expected a number, found "> 0.8"'],
    ['judge.success_rate = 0.8', 20, 'expected an operator'],
    ['judge.success_rate', 19, 'expected an operator (<= >= == != < >) after judge.success_rate'],
    ['judge.success_rate >=', 22, 'expected a number after >='],
    ['judge.success_rate >= 0.8 or 1', 27, 'unexpected "or 1" after the number'],
    ['judge.success >= 0.8', 7, 'unknown figure "judge.success"'],
    ['test.accuracy > 1', 1, 'unknown figure "test.accuracy"'],
    ['val.gsm8k > 1', 5, "a split's figure is val.accuracy or val.<dataset>.accuracy"],
    ['>= 0.8', 1, 'expected a figure name'],
    ['', 1, 'empty rule'],
    ['   alerts.count == zero', 17, 'expected a number, found "zero"'],
  ])('"%s" is malformed at column %i', (text, column, problem) => {
    const e = errorOf(text)
    expect(e.column).toBe(column)
    expect(e.problem).toContain(problem)
    expect(e.message).toBe(`--rule: bad rule "${text.trim()}" at column ${column}: ${e.problem}`)
  })

  it('names the file and line of a rules file', () => {
    const text =
      '# the gate of the nightly run\njudge.success_rate >= 0.8   # the trainer docs\n\n  val.accuracy > 40\nalerts.count === 0\n'
    const e = (() => {
      try {
        parseRulesFile(text, 'gate.rules')
      } catch (error) {
        return error as RuleError
      }
      throw new Error('accepted')
    })()
    expect(e.message).toBe('gate.rules:5: bad rule "alerts.count === 0" at column 16: expected a number, found "= 0"')
    expect(parseRulesFile(text.replace('===', '=='), 'gate.rules').map((r) => r.text)).toEqual([
      'judge.success_rate >= 0.8',
      'val.accuracy > 40',
      'alerts.count == 0',
    ])
  })

  it('has default rules: the judge threshold and no alert', () => {
    expect(defaultRules(0.8).map((r) => r.text)).toEqual(['judge.success_rate >= 0.8', 'alerts.count == 0'])
    expect(defaultRules(0.9)[0]).toMatchObject({figure: 'judge.success_rate', op: '>=', threshold: 0.9})
  })
})

describe('compare', () => {
  it.each([
    [1, '<', 2, true],
    [2, '<', 2, false],
    [2, '<=', 2, true],
    [3, '>', 2, true],
    [2, '>=', 2, true],
    [1, '>=', 2, false],
    [2, '==', 2, true],
    [2, '!=', 2, false],
  ] as const)('%f %s %f is %s', (a, op, b, want) => expect(compare(a, op, b)).toBe(want))
})
