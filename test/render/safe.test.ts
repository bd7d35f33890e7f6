import {describe, expect, it} from 'vitest'
import {showControls, showControlsDeep} from '../../src/render/safe/controls.js'
import {csvField} from '../../src/render/safe/csv.js'
import {htmlText} from '../../src/render/safe/html.js'
import {jsonText} from '../../src/render/safe/json.js'
import {markdownCell, markdownText} from '../../src/render/safe/markdown.js'
import {terminalText} from '../../src/render/safe/terminal.js'
import {xmlDocument} from '../../src/render/safe/xml.js'
import {csvTable, formatCell, markdownTable, textTable} from '../../src/render/text-table.js'
import {formatPercent, formatUsd} from '../../src/render/units.js'
import {renderSummary} from '../../src/render/summary-report.js'
import type {StepMetric} from '../../src/metrics/types.js'
import {RUN_A} from '../charts/fixtures.js'
import {CLEAR, FORMULA, OSC8, RAW_CONTROL} from '../helpers/hostile-run.js'

const EVERY_CONTROL = [
  ...Array.from({length: 0x20}, (_, i) => String.fromCharCode(i)),
  '\x7f',
  ...Array.from({length: 0x20}, (_, i) => String.fromCharCode(0x80 + i)),
  '\u202a',
  '\u202b',
  '\u202c',
  '\u202d',
  '\u202e',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
  '\u2028',
  '\u2029',
].join('')

describe('control characters from input are shown, never obeyed', () => {
  it('C0 and DEL become control pictures; C1, bidi and separators become \\uXXXX text', () => {
    expect(showControls(CLEAR)).toBe('␛[2J')
    expect(showControls(OSC8)).toBe('␛]8;;http://x␇y␛]8;;␇')
    expect(showControls('a\x00b\x7fc\x9bd\u202ee\r\n\t')).toBe('a␀b␡c\\u009bd\\u202ee␍␊␉')
    const shown = showControls(EVERY_CONTROL)
    expect(shown).not.toMatch(RAW_CONTROL)
    expect(shown).not.toMatch(/[\n\u2028\u2029]/)
    expect(showControls('gsm8k 准确率 ✅ ünïcode')).toBe('gsm8k 准确率 ✅ ünïcode')
  })

  it('a deep copy of a chart spec has every string shown, keys included, other values untouched', () => {
    const spec = {title: {text: `run${CLEAR}`}, data: {values: [{[`k${CLEAR}`]: `v\x9b`, n: 1, ok: true, none: null}]}}
    expect(showControlsDeep(spec)).toEqual({
      title: {text: 'run␛[2J'},
      data: {values: [{'k␛[2J': 'v\\u009b', n: 1, ok: true, none: null}]},
    })
  })

  it('terminal text', () => {
    expect(terminalText(`name${CLEAR}${OSC8}`)).toBe('name␛[2J␛]8;;http://x␇y␛]8;;␇')
  })

  it('CSV: formulas get a leading quote (OWASP), numbers stay numbers, non-finite numbers are unknown', () => {
    expect(csvField(FORMULA)).toBe(`"'=HYPERLINK(""http://x"",""y"")"`)
    for (const s of ['+1+2', '-2+3', '@SUM(A1)', '\tx', '\rx']) expect(csvField(s).replace(/^"/, '')[0]).toBe("'")
    expect(csvField('-11.9')).toBe('-11.9')
    expect(csvField('-1e-05')).toBe('-1e-05')
    expect(csvField(-11.9)).toBe('-11.9')
    expect(csvField(Infinity)).toBe('')
    expect(csvField(NaN)).toBe('')
    expect(csvField(null)).toBe('')
    expect(csvField(true)).toBe('true')
    expect(csvField('a,b')).toBe('"a,b"')
    expect(csvField('line\nbreak')).toBe('line␊break')
    expect(csvField(`gsm${CLEAR}`)).toBe('gsm␛[2J')
    const csv = csvTable(['dataset', 'delta'], [[FORMULA, -11.9]])
    expect(csv).toBe(`dataset,delta\n"'=HYPERLINK(""http://x"",""y"")",-11.9`)
  })

  it('Markdown: | and HTML escaped, controls shown', () => {
    expect(markdownText('<script>a & b</script>')).toBe('&lt;script&gt;a &amp; b&lt;/script&gt;')
    expect(markdownCell(`a|b${CLEAR}`)).toBe('a\\|b␛[2J')
    expect(markdownTable(['x|y'], [['<b>']])).toBe('| x\\|y |\n| --- |\n| &lt;b&gt; |')
  })

  it('HTML and XML', () => {
    expect(htmlText(`<script>"'&${CLEAR}`)).toBe('&lt;script&gt;&quot;&#39;&amp;␛[2J')
    expect(xmlDocument('<svg><text>a\x1bb\x00&#27;&#x1b;&#9;&#x0A;\ufffe</text></svg>')).toBe(
      '<svg><text>a\ufffdb\ufffd\ufffd\ufffd&#9;&#x0A;\ufffd</text></svg>',
    )
    expect(xmlDocument('<svg>\ud800x 😀</svg>')).toBe('<svg>\ufffdx 😀</svg>')
  })

  it('JSON text: the same values, with C1, DEL and bidi characters escaped too', () => {
    const value = {name: `a${CLEAR}\x9b\x7f\u202e\u2028`, n: [1, null]}
    const text = jsonText(value, 2)
    expect(text).not.toMatch(RAW_CONTROL)
    expect(JSON.parse(text)).toEqual(value)
    expect(jsonText({a: 'plain'})).toBe(JSON.stringify({a: 'plain'}))
  })

  it('terminal tables show escapes in cells and headers; a non-finite figure is unknown (—), as in --json', () => {
    const t = textTable([`h${CLEAR}`], [[`c${OSC8}`], [Infinity]])
    expect(t).not.toMatch(RAW_CONTROL)
    expect(t).toContain('h␛[2J')
    expect(t).toContain('c␛]8;;http://x␇y␛]8;;␇')
    expect(formatCell(Infinity)).toBe('—')
    expect(formatCell(NaN)).toBe('—')
    expect(formatUsd(Infinity)).toBeNull()
    expect(formatPercent(-Infinity)).toBeNull()
  })
})

describe('the summary report', () => {
  it('shows a figure that is not finite as unknown, but a logged trainer metric that is NaN by its name', () => {
    const summary = structuredClone(RUN_A.summary)
    summary.judge = {...summary.judge, origin: 'none'}
    summary.cost = {...summary.cost, total_cost: Infinity, origin: 'samples'}
    const metric: StepMetric = {
      key: 'actor/loss',
      origin: 'verl',
      points: 3,
      first_step: 1,
      last_step: 3,
      first: 0.5,
      last: NaN,
      min: 0.5,
      max: Infinity,
    }
    summary.metrics = [metric]
    for (const format of ['table', 'md'] as const) {
      const out = renderSummary(summary, format)
      expect(out).not.toMatch(/\$Infinity|\$NaN/)
      expect(out).toMatch(/actor\/loss.*NaN.*Infinity/)
    }
    const csv = renderSummary(summary, 'csv')
    expect(csv).toMatch(/^API cost,,/m)
    expect(csv).toMatch(/^Per-step metrics the trainer logged,actor\/loss,verl,3,0\.5,NaN,0\.5,Infinity,3$/m)
  })
})
