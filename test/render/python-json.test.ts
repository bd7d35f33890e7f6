import {describe, expect, it} from 'vitest'
import {pythonFloatRepr, pythonJsonFromText, pythonJsonString} from '../../src/render/python-json.js'

describe('Python-style JSON', () => {
  it('formats floats like repr(float)', () => {
    expect(pythonFloatRepr(1e-5)).toBe('1e-05')
    expect(pythonFloatRepr(0.0001)).toBe('0.0001')
    expect(pythonFloatRepr(1.5e-5)).toBe('1.5e-05')
    expect(pythonFloatRepr(2e16)).toBe('2e+16')
    expect(pythonFloatRepr(1e15)).toBe('1000000000000000.0')
    expect(pythonFloatRepr(1.0)).toBe('1.0')
    expect(pythonFloatRepr(-0.5)).toBe('-0.5')
    expect(pythonFloatRepr(123.456)).toBe('123.456')
    expect(pythonFloatRepr(1.5000000000000002e-5)).toBe('1.5000000000000002e-05')
  })
  it('keeps integers verbatim, even beyond 2^53', () => {
    expect(pythonJsonFromText('12345678901234567890')).toBe('12345678901234567890')
    expect(pythonJsonFromText('1.0')).toBe('1.0')
    expect(pythonJsonFromText('1E5')).toBe('100000.0')
  })
  it('re-spaces objects and arrays, and quotes non-finite numbers', () => {
    expect(pythonJsonFromText('{"a":[1,2.50,NaN],"b":{"c":null,"d":true}}')).toBe(
      '{"a": [1, 2.5, "NaN"], "b": {"c": null, "d": true}}',
    )
    expect(pythonJsonFromText('NaN')).toBe('"NaN"')
    expect(pythonJsonFromText('-Infinity')).toBe('"-Infinity"')
  })
  it('writes a number too large for a double (Python reads inf) as the string "Infinity", never a bare word', () => {
    expect(pythonJsonFromText('1e999')).toBe('"Infinity"')
    expect(pythonJsonFromText('-1E+999')).toBe('"-Infinity"')
    expect(pythonJsonFromText(`${'9'.repeat(400)}.5`)).toBe('"Infinity"')
    expect(pythonJsonFromText('{"a": [1e999, -1e999, 1e-999]}')).toBe('{"a": ["Infinity", "-Infinity", 0.0]}')
    expect(() => JSON.parse(pythonJsonFromText('[1e999]'))).not.toThrow()
  })
  it('escapes strings like ensure_ascii', () => {
    expect(pythonJsonString('a"b\\c\n\t')).toBe('"a\\"b\\\\c\\n\\t"')
    expect(pythonJsonString('准确率 ✅')).toBe('"\\u51c6\\u786e\\u7387 \\u2705"')
    expect(pythonJsonString('😀')).toBe('"\\ud83d\\ude00"')
    expect(pythonJsonString('\u007f\u0001')).toBe('"\\u007f\\u0001"')
  })
  it('rejects text that is not JSON', () => {
    expect(() => pythonJsonFromText('{"a": }')).toThrow()
  })
})
