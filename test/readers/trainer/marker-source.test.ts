import {describe, expect, it} from 'vitest'
import {gateMarkers, latin1Gate, markerSource} from '../../../src/readers/trainer/marker-source.js'

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

  it("latin1Gate: the families' markers, ESC and CR on Latin-1 text; null when a family declares no markers", () => {
    const families = [{markers: ['📍 Step ', '']}, {markers: ['Cost: $']}]
    expect([...gateMarkers(families)!].sort()).toEqual(['\x1b', '\r', '📍 Step ', 'Cost: $'].sort())
    const gate = latin1Gate(families)!
    const latin1 = (s: string) => Buffer.from(s, 'utf8').toString('latin1')
    for (const line of ['📍 Step 3/10', 'x Cost: $1', 'bar\rbar', '\x1b[0m'])
      expect(gate.test(latin1(line)), line).toBe(true)
    expect(gate.test(latin1('Step 3/10, cost 1'))).toBe(false)
    expect(latin1Gate([...families, {}])).toBeNull()
  })
})
