import {describe, expect, it} from 'vitest'
import {pythonJsonFromText, pythonJsonString, writePythonJsonString} from '../../src/render/python-json.js'

describe('Python-style JSON of huge values', () => {
  it('re-formats a value nested 100,000 deep (no call stack overflow), and reads as JSON.parse does', () => {
    const depth = 100_000
    const text = `${'[{"a": '.repeat(depth)}1.50${'}]'.repeat(depth)}`
    const out = pythonJsonFromText(text)
    expect(out).toBe(`${'[{"a": '.repeat(depth)}1.5${'}]'.repeat(depth)}`)
    expect(pythonJsonFromText('[ [ ] , { } , {"k" :[1,2 ]}]')).toBe('[[], {}, {"k": [1, 2]}]')
    for (const bad of ['[1,]', '[1 2]', '{"a" 1}', '[}', '{]', '[[]', '{"a": 1,}', '[1]]']) {
      expect(() => pythonJsonFromText(bad)).toThrow(SyntaxError)
    }
  })

  it('writes a long string a slice at a time, the same text as pythonJsonString', () => {
    const s = `"quoted"\\é😀\n\t\u0001`.repeat(40_000)
    const pieces: string[] = []
    writePythonJsonString(s, (t) => pieces.push(t))
    expect(pieces.length).toBeGreaterThan(3)
    expect(pieces.join('')).toBe(pythonJsonString(s))
    expect(JSON.parse(pieces.join(''))).toBe(s)
  })
})
