import stringWidth from 'string-width'
import {describe, expect, it} from 'vitest'
import {formatColumn} from '../../src/render/column-format.js'
import {type FitColumn, fitTable, shorten, wrapWords} from '../../src/render/fit-table.js'
import {paint} from '../../src/render/paint.js'
import {stdoutLayout} from '../../src/render/terminal.js'

const layout = (width: number | null) => ({width, paint: paint(false)})
const widest = (text: string) => Math.max(...text.split('\n').map((l) => stringWidth(l)))

describe('shortening a cell', () => {
  it('keeps a path’s last part, cuts text in the middle, and never cuts names or numbers', () => {
    expect(shorten('test/fixtures/corpus/qwen-sapiens__run-20260609_214644-lec97vx5', 50, 'path')).toBe(
      'test/f…/qwen-sapiens__run-20260609_214644-lec97vx5',
    )
    expect(shorten('runs/a/b/offline-run-1-abc', 20, 'path')).toBe('r…/offline-run-1-abc')
    // A last part wider than the column keeps its end, where a run directory has its id.
    expect(shorten('runs/qwen-sapiens__run-20260609_214644-lec97vx5', 20, 'path')).toBe('…609_214644-lec97vx5')
    expect(shorten('MTSLSTM_sweep_1773514131', 12, 'text')).toBe('MTSLST…14131')
    expect(shorten('dataset/humaneval/accuracy', 10, 'name')).toBe('dataset/humaneval/accuracy')
    expect(shorten('0.0011167500000000001', 10, 'text')).toBe('0.0011167500000000001')
  })

  it('measures East Asian wide characters and emoji as two cells', () => {
    const cut = shorten('数据集准确率统计摘要报告', 9, 'text')
    expect(stringWidth(cut)).toBeLessThanOrEqual(9)
    expect(cut).toMatch(/^数据…/)
    // An emoji sequence (family: four people joined) is cut whole, never in the middle.
    const family = '👨‍👩‍👧‍👦'
    const emoji = shorten(`run ${family}${family}${family} end`, 13, 'text')
    expect(emoji).toBe(`run ${family}…${family} end`)
    expect(emoji.replace(/run |…| end|👨‍👩‍👧‍👦/g, '')).toBe('')
    expect(wrapWords('verl-ppo__dstack-configs n', 10)).toEqual(['verl-ppo__', 'dstack-', 'configs n'])
  })
})

describe('fitting a table to the window', () => {
  const columns: FitColumn[] = [
    {head: 'id', kind: 'name', drop: 0},
    {head: 'name', kind: 'text', drop: 2},
    {head: 'steps', kind: 'count', drop: 1},
    {head: 'dir', kind: 'path', drop: 3},
  ]
  const rows = [
    [
      'lec97vx5',
      'a-rather-long-experiment-name-for-a-sweep',
      '1,234',
      '/data/runs/wandb/offline-run-20260609_214644-lec97vx5',
    ],
    ['i8tu2zet', '—', '12', '/data/runs/wandb/offline-run-20260609_161905-i8tu2zet'],
  ]

  it('prints the table whole when there is no window (piped output, --wide)', () => {
    const text = fitTable(columns, rows, layout(null))
    expect(text).toContain(rows[0][3])
    expect(text).toContain(rows[0][1])
  })

  it('shortens text first, then drops the least important columns and names them', () => {
    const wide = fitTable(columns, rows, layout(null))
    expect(widest(wide)).toBeGreaterThan(100)
    const at100 = fitTable(columns, rows, layout(100))
    expect(widest(at100)).toBeLessThanOrEqual(100)
    expect(at100).toContain('offline-run-20260609_214644-lec97vx5')
    expect(at100).not.toContain('Not shown')
    const at60 = fitTable(columns, rows, layout(60))
    expect(widest(at60)).toBeLessThanOrEqual(60)
    expect(at60).toContain('Not shown to fit the window: dir; --wide shows every column.')
    expect(at60).toMatch(/a-rather-l.*…/)
    expect(at60).toContain('1,234')
    const at30 = fitTable(columns, rows, layout(30))
    expect(widest(at30)).toBeLessThanOrEqual(30)
    expect(at30).toMatch(/name, dir; --wide/)
  })

  it('puts a narrow column back when a wider, more important one had to go', () => {
    const cols: FitColumn[] = [
      {head: 'id', kind: 'name', drop: 0},
      {head: 'dir', kind: 'path', drop: 1},
      {head: 'exit', kind: 'count', drop: 2},
    ]
    const text = fitTable(cols, [['lec97vx5', 'runs/offline-run-20260609_214644-lec97vx5', '1']], layout(30))
    expect(text).toMatch(/│ id {7}│ exit │/)
    expect(text.replace(/\s/g, '')).toContain('Notshowntofitthewindow:dir(runs/offline-run-20260609_214644-lec97vx5);')
  })

  it('names the one value of a left-out column that is the same in every row', () => {
    const cols: FitColumn[] = [
      {head: 'dataset', kind: 'name', drop: 0},
      {head: 'origin', kind: 'name', drop: 1},
    ]
    const text = fitTable(
      cols,
      [
        ['gsm8k', 'samples'],
        ['math', 'samples'],
      ],
      layout(12),
    )
    expect(text.replace(/\n/g, ' ')).toContain('origin (samples in every row)')
  })

  it('lays the rows out as key–value lines when even the columns always shown do not fit', () => {
    const cols: FitColumn[] = [
      {head: 'metric', kind: 'name', drop: 0},
      {head: 'recomputed', kind: 'figure', drop: 0},
    ]
    const text = fitTable(
      cols,
      [
        ['dataset/humaneval/accuracy', '50'],
        ['dataset/mmlu/accuracy', '25'],
      ],
      layout(38),
    )
    expect(text).toBe(
      [
        'metric      dataset/humaneval/accuracy',
        'recomputed  50',
        '',
        'metric      dataset/mmlu/accuracy',
        'recomputed  25',
      ].join('\n'),
    )
  })

  it('fits only when stdout is a terminal, and colours only without NO_COLOR or --json', () => {
    expect(stdoutLayout({}, {isTTY: false, columns: 80}, {}).width).toBeNull()
    expect(stdoutLayout({}, {isTTY: true, columns: 80}, {}).width).toBe(80)
    expect(stdoutLayout({wide: true}, {isTTY: true, columns: 80}, {}).width).toBeNull()
    expect(stdoutLayout({}, {isTTY: true, columns: 80}, {}).paint.enabled).toBe(true)
    expect(stdoutLayout({}, {isTTY: true, columns: 80}, {NO_COLOR: '1'}).paint.enabled).toBe(false)
    expect(stdoutLayout({json: true}, {isTTY: true, columns: 80}, {}).paint.enabled).toBe(false)
    expect(paint(true).alert('x')).toBe('\x1b[31mx\x1b[39m')
    expect(paint(false).alert('x')).toBe('x')
  })
})

describe('numbers for reading: one precision per column', () => {
  it('counts get thousands separators, percentages one decimal, unknowns a dash', () => {
    expect(formatColumn('count', [1234567, 12, null])).toEqual(['1,234,567', '12', '—'])
    expect(formatColumn('percent', [43.75, 100, 0])).toEqual(['43.8%', '100.0%', '0.0%'])
  })

  it('plain numbers take the decimals that give the smallest 3 significant digits', () => {
    expect(formatColumn('number', [0.495312, 1, 0.58])).toEqual(['0.495', '1.000', '0.580'])
    expect(formatColumn('number', [12.5, 1234.25])).toEqual(['12.5', '1,234.3'])
  })

  it('money has enough digits to tell different values apart', () => {
    expect(formatColumn('usd', [0.2907])).toEqual(['$0.291'])
    expect(formatColumn('usd', [0.0011013, 0.0011007, 0.0008565])).toEqual(['$0.0011013', '$0.0011007', '$0.0008565'])
    expect(formatColumn('usd', [0.00108, 0.00095])).toEqual(['$0.001080', '$0.000950'])
    expect(formatColumn('usd', [1234.5, 0, null])).toEqual(['$1,234.50', '$0.00', '—'])
  })
})

describe('header words', () => {
  it('break only after - _ / or . ; a column whose header cannot break that way goes instead', () => {
    const id: FitColumn = {head: 'id', kind: 'name', drop: 0}
    const typed = fitTable([id, {head: 'problem_type', kind: 'name', drop: 0}], [['lec97vx5', 'math']], layout(26))
    expect(typed).toMatch(/│ id {7}│ problem_ +│\n│ {10}│ type +│/)
    const counted = fitTable([id, {head: 'incorrect', kind: 'count', drop: 1}], [['lec97vx5', '1']], layout(22))
    expect(counted).not.toMatch(/│ incorre/)
    expect(counted.replace(/\n/g, ' ')).toContain('Not shown to fit the window: incorrect (1)')
    expect(fitTable([id, {head: 'incorrect', kind: 'count', drop: 1}], [['lec97vx5', '1']], layout(24))).toContain(
      '│ incorrect │',
    )
  })
})

describe('cells that go on a second line', () => {
  it('an accuracy goes above its interval only when otherwise the rows would become key–value blocks', () => {
    const cols: FitColumn[] = [
      {head: 'dataset', kind: 'name', drop: 0},
      {head: 'a acc', kind: 'figure', drop: 0, wrap: true},
      {head: 'b acc', kind: 'figure', drop: 0, wrap: true},
      {head: 'a n', kind: 'count', drop: 1},
    ]
    const rows = [['commonsenseqa', '78.6 % (60.5–89.8)', '100.0 % (61.0–100.0)', '28']]
    const roomy = fitTable(cols, rows, layout(64))
    expect(roomy).toContain('│ 78.6 % (60.5–89.8) │')
    const narrow = fitTable(cols, rows, layout(50))
    expect(widest(narrow)).toBeLessThanOrEqual(50)
    expect(narrow).toMatch(/│ commonsenseqa │ +78\.6 % │ +100\.0 % │\n│ +│ +\(60\.5–89\.8\) │ +\(61\.0–100\.0\) │/)
    expect(narrow.replace(/\n/g, ' ')).toContain('Not shown to fit the window: a n (28)')
  })
})
