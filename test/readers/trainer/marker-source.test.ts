import {describe, expect, it} from 'vitest'
import {markerSource} from '../../../src/readers/trainer/marker-source.js'

describe('markerSource', () => {
  it('matches each marker literally: regex characters and control characters are escaped', () => {
    const gate = new RegExp(markerSource(['a.b', '(x)', '\r', 'Cost: $'], false))
    expect(gate.test('xx a.b yy')).toBe(true)
    expect(gate.test('axb')).toBe(false)
    expect(gate.test('f(x)')).toBe(true)
    expect(gate.test('x')).toBe(false)
    expect(gate.test('bar\rbar')).toBe(true)
    expect(gate.test('Cost: $0.1')).toBe(true)
    expect(markerSource(['a.b'], false)).toMatch(/^[\x20-\x7e]+$/)
  })

  it('latin1: finds a non-ASCII marker in UTF-8 bytes read one character per byte', () => {
    const gate = new RegExp(markerSource(['📊 评估输入'], true))
    const line = Buffer.from('INFO 📊 评估输入 (source=gsm8k)', 'utf8').toString('latin1')
    expect(gate.test(line)).toBe(true)
    expect(gate.test('INFO 📊 评估输入')).toBe(false)
    expect(gate.test(Buffer.from('📊 评估结果', 'utf8').toString('latin1'))).toBe(false)
  })
})
