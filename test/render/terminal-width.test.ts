import {cpSync, mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import stringWidth from 'string-width'
import {beforeAll, describe, it} from 'vitest'
import {CORPUS, GRPO_RUN, ROOT} from '../helpers/fixtures.js'
import {runlogInProcess} from '../helpers/in-process-cli.js'
import {runlogInTerminal} from '../helpers/pty.js'

const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '')

/**
 * `runlog ARGS` with stdout on a terminal `columns` wide, in-process (stdout's `isTTY` and `columns`, as the CLI reads
 * them; `test/cli/in-process.test.ts` checks it prints what a pty shows). A pty is spawned only for what needs one.
 */
async function onTerminal(args: string[], opts: {columns: number; env?: Record<string, string>}) {
  const r = await runlogInProcess(args, opts)
  return {status: r.status, screen: r.stdout, stderr: r.stderr}
}

interface ParsedTable {
  head: string[]
  rows: string[][]
  dropped: string[]
}

/** The box tables of a screen, with the columns its footnote says were left out. */
function parseTables(screen: string): ParsedTable[] {
  const lines = plain(screen).split('\n')
  const tables: ParsedTable[] = []
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith('┌')) continue
    const headLines: string[][] = []
    let j = i + 1
    for (; !lines[j].startsWith('├'); j++) headLines.push(cells(lines[j]))
    const rows: string[][] = []
    for (j++; !lines[j].startsWith('└'); j++) {
      const row = cells(lines[j])
      // A cell that went on a second line (an accuracy before its interval): the line has no first cell.
      if (row[0] === '' && rows.length > 0)
        rows[rows.length - 1] = rows.at(-1)!.map((c, k) => [c, row[k]].filter(Boolean).join(' '))
      else rows.push(row)
    }
    // Wrapped headers: the pieces of each column joined again.
    const head = headLines[0].map((_, c) =>
      headLines
        .map((l) => l[c])
        .filter(Boolean)
        .join(' '),
    )
    let note = ''
    if (lines[j + 1]?.startsWith('Not shown to fit the window:')) {
      for (let k = j + 1; k < lines.length && lines[k] !== '' && !lines[k].startsWith('┌'); k++) note += ` ${lines[k]}`
    }
    const listed = note.replace(/^ Not shown to fit the window: /, '').replace(/; --wide shows every column\.$/, '')
    tables.push({head, rows, dropped: note ? listed.split(', ') : []})
    i = j
  }
  return tables
}

const cells = (line: string) =>
  line
    .split('│')
    .slice(1, -1)
    .map((c) => c.trim())

/**
 * The tables of a fitted screen, in the order of the whole output's `wide` tables: box tables, or key–value blocks
 * (one `column  value` line per column, rows apart by a blank line) where even the columns always shown did not fit.
 */
function fittedTables(screen: string, wide: ParsedTable[]): ParsedTable[] {
  const boxes = parseTables(screen)
  const lines = plain(screen).split('\n')
  const out: ParsedTable[] = []
  let line = 0
  for (const table of wide) {
    const key = (l: string) => table.head.find((h) => l.startsWith(`${h}  `))
    let boxAt = lines.findIndex((l, i) => i >= line && l.startsWith('┌'))
    let kvAt = lines.findIndex((l, i) => i >= line && l.startsWith(`${table.head[0]}  `))
    if (boxAt < 0) boxAt = Infinity
    if (kvAt < 0) kvAt = Infinity
    if (boxAt === Infinity && kvAt === Infinity) break
    if (boxAt < kvAt) {
      out.push(boxes[lines.slice(0, boxAt).filter((l) => l.startsWith('┌')).length])
      line = lines.findIndex((l, i) => i > boxAt && l.startsWith('└')) + 1
      continue
    }
    const width = Math.max(...table.head.map((h) => h.length))
    const rows: string[][] = []
    let i = kvAt
    while (i < lines.length && key(lines[i]) === table.head[0]) {
      const row: string[] = []
      for (; i < lines.length && lines[i] !== ''; i++) {
        if (key(lines[i])) row.push(lines[i].slice(width + 2))
        // A value wider than the window goes on below its column name.
        else row[row.length - 1] += ` ${lines[i].trim()}`
      }
      rows.push(row)
      i++
    }
    out.push({head: table.head, rows, dropped: []})
    line = i
  }
  return out
}

/** Columns whose text may be shortened in the middle (names, projects, paths); ids, names and figures never are. */
const SHORTENABLE = new Set(['name', 'project', 'dir', 'run'])

let sweep = ''
beforeAll(() => {
  sweep = mkdtempSync(join(tmpdir(), 'runlog-width-'))
  cpSync(GRPO_RUN, join(sweep, 'offline-run-20251124_010713-ieqh524y'), {recursive: true})
  for (const name of ['qwen-sapiens__run-20260609_214644-lec97vx5', 'alpaca__run-20231106_034002-m84hjf9m'])
    cpSync(join(CORPUS, name), join(sweep, name), {recursive: true})
})

const VERL = join(ROOT, 'test/fixtures/trainer-logs/verl-ppo__dstack-configs__verl_demo.log')
const P30 = join(ROOT, 'test/fixtures/trainer-logs/training_p30.log')
const OUTAGE = join(ROOT, 'test/fixtures/judge-outage/offline-run-20251124_010716-7lhcisc9')
const newDir = () => mkdtempSync(join(tmpdir(), 'runlog-width-export-'))
/** Name, arguments, and the exit code (check exits 1 when a rule fails). */
const commands: Array<[string, () => string[], number?]> = [
  ['ls (the corpus)', () => ['ls', 'test/fixtures/corpus']],
  ['summarize', () => ['summarize', GRPO_RUN]],
  ['summarize of a trainer log (per-step metrics)', () => ['summarize', VERL]],
  ['summarize of the judge outage (diagnosis)', () => ['summarize', OUTAGE]],
  ['summarize --all', () => ['summarize', sweep, '--all']],
  ['compare', () => ['compare', GRPO_RUN, VERL]],
  ['compare of 3 runs', () => ['compare', GRPO_RUN, P30, OUTAGE]],
  ['efficiency', () => ['efficiency', GRPO_RUN]],
  ['history (table)', () => ['history', GRPO_RUN]],
  ['history of a trainer log', () => ['history', P30]],
  ['query', () => ['query', GRPO_RUN, OUTAGE, 'SELECT * FROM samples ORDER BY run_id, step, sample_id LIMIT 8']],
  ['check', () => ['check', OUTAGE, GRPO_RUN, '--rule', 'val.commonsenseqa.accuracy >= 70'], 1],
  ['export', () => ['export', GRPO_RUN, OUTAGE, '--to', newDir()]],
  ['check --all', () => ['check', sweep, '--all'], 1],
]

// The cases run concurrently (each mostly waits for its CLI processes); each asserts with its own `expect`.
describe.concurrent.each(commands)('%s on a terminal', (_, args, status = 0) => {
  const title =
    'fits 80 and 120 columns, keeps every id, name and figure (or names it as left out), and --wide shows all'
  it(
    title,
    async ({expect}) => {
      const whole = await runlogInProcess(args(), {env: {RUNLOG_PARALLEL_MIN_BYTES: '0'}})
      expect(whole.status, whole.stderr).toBe(status)
      const wideTables = parseTables(whole.stdout)
      expect(wideTables.length).toBeGreaterThan(0)
      for (const columns of [80, 120]) {
        const r = await onTerminal(args(), {columns})
        expect(r.status, r.stderr).toBe(status)
        const screen = plain(r.screen)
        for (const line of screen.split('\n'))
          expect(stringWidth(line), `${columns}: ${line}`).toBeLessThanOrEqual(columns)
        const fitted = fittedTables(r.screen, wideTables)
        expect(fitted).toHaveLength(wideTables.length)
        for (const [t, wide] of wideTables.entries()) {
          const fit = fitted[t]
          const dropped = new Set(wide.head.filter((h) => fit.dropped.some((d) => d === h || d.startsWith(`${h} (`))))
          const kept = wide.head.filter((h) => !dropped.has(h))
          // Wrapped headers lose their line breaks (a word too long for its column is broken).
          const squeeze = (h: string) => h.replace(/\s/g, '')
          expect(fit.head.map(squeeze), `${columns}: table ${t}`).toEqual(kept.map(squeeze))
          expect(fit.rows).toHaveLength(wide.rows.length)
          for (const [r, row] of wide.rows.entries())
            for (const [c, head] of kept.entries()) {
              const cell = row[wide.head.indexOf(head)]
              const shown = fit.rows[r][c]
              if (shown !== cell) {
                const what = `${columns}: ${head}: ${cell} shown as ${shown}`
                expect(SHORTENABLE.has(head) && shown.includes('…'), what).toBe(true)
                const [start, end] = shown.split('…')
                expect(cell.startsWith(start) && cell.endsWith(end.replace(/^\//, ''))).toBe(true)
              }
            }
        }
      }
      const wide = await onTerminal([...args(), '--wide'], {columns: 80})
      expect(parseTables(wide.screen)).toEqual(wideTables)
    },
    300_000,
  )
})

describe.concurrent('colour on a terminal', () => {
  it('alerts red, notices yellow, origin dim; none with NO_COLOR, none when piped', async ({expect}) => {
    const r = await runlogInTerminal(['summarize', GRPO_RUN], {columns: 160})
    expect(r.screen).toContain('\x1b[31mChecks: logged values that disagree')
    expect(r.screen).toContain('\x1b[33mwarning: the trainer')
    expect(r.screen).toContain('\x1b[2msamples\x1b[22m')
    const noColor = await onTerminal(['summarize', GRPO_RUN], {columns: 160, env: {NO_COLOR: '1'}})
    expect(noColor.screen).not.toContain('\x1b[')
    expect(plain(r.screen)).toBe(noColor.screen)
    const json = await onTerminal(['summarize', GRPO_RUN, '--json'], {columns: 160})
    expect(json.screen).not.toContain('\x1b[')
    expect((await runlogInProcess(['summarize', GRPO_RUN])).stdout).not.toContain('\x1b[')
    const md = await onTerminal(['ls', 'test/fixtures/corpus', '--format', 'md'], {columns: 80})
    expect(md.screen).toContain('| failed |')
    expect(md.screen).not.toContain('\x1b[')
    expect((await onTerminal(['ls', 'test/fixtures/corpus'], {columns: 200})).screen).toContain('\x1b[31mfailed')
  }, 300_000)
})

describe.concurrent('colour of check and summarize --all on a terminal', () => {
  it('check: failed rules and the FAIL line red, unknown yellow; summarize --all: alerts red, crashed runs yellow', async ({
    expect,
  }) => {
    const args = [
      'check',
      OUTAGE,
      GRPO_RUN,
      '--rule',
      'val.commonsenseqa.accuracy >= 70',
      '--rule',
      'val.nope.accuracy > 1',
    ]
    const r = await onTerminal(args, {columns: 120})
    expect(r.status).toBe(1)
    expect(r.screen).toMatch(/7lhcisc9 [^\n]* \x1b\[31mfail\x1b\[39m/)
    expect(r.screen).toMatch(/ieqh524y [^\n]* pass /)
    expect(r.screen).toContain('\x1b[33munknown\x1b[39m')
    expect(r.screen).toContain('\x1b[31mFAIL: 1 failed, 2 unknown')
    const noColor = await onTerminal(args, {columns: 120, env: {NO_COLOR: '1'}})
    expect(noColor.screen).not.toContain('\x1b[')
    expect(plain(r.screen)).toBe(noColor.screen)
    expect((await runlogInProcess(args)).stdout).not.toContain('\x1b[')
    const all = await onTerminal(['summarize', join(OUTAGE, '..'), '--all'], {columns: 160})
    expect(all.screen).toMatch(/ \x1b\[31m2\x1b\[39m /)
    const sweepAll = await onTerminal(['summarize', sweep, '--all'], {columns: 200})
    expect(sweepAll.screen).toContain('\x1b[33mcrashed\x1b[39m')
  }, 300_000)
})

describe.concurrent('help on a terminal', () => {
  it('no line of any --help is wider than the window; a long example goes on with ` \\`', async ({expect}) => {
    for (const command of ['', 'ls', 'summarize', 'compare', 'efficiency', 'history', 'query', 'export', 'check']) {
      const r = await runlogInTerminal([...(command ? [command] : []), '--help'], {columns: 80})
      expect(r.status, r.stderr).toBe(0)
      for (const line of plain(r.screen).split('\n'))
        expect(stringWidth(line), `${command}: ${line}`).toBeLessThanOrEqual(80)
      if (command === 'query') expect(plain(r.screen)).toMatch(/\$ runlog query run-a\.log .* \\\n {6}\S/)
    }
    // Piped help is oclif's own.
    const piped = await runlogInProcess(['query', '--help'])
    expect(piped.stdout).toContain('accuracy FROM dataset_figures ORDER BY source" --format csv')
  }, 300_000)
})

describe.concurrent('warnings on a terminal', () => {
  it('wrap to the window on stderr, every word kept; piped they stay one line each', async ({expect}) => {
    const run = join(CORPUS, 'nanogpt__run-20250815_165345-b3fmk8vj')
    const piped = await runlogInProcess(['summarize', run])
    const warnings = piped.stderr.split('\n').filter((l) => l.startsWith('warning: '))
    expect(warnings.length).toBeGreaterThan(0)
    expect(Math.max(...warnings.map((w) => stringWidth(w)))).toBeGreaterThan(80)
    const r = await runlogInTerminal(['summarize', run], {columns: 80, stderrOnScreen: true})
    expect(r.status).toBe(0)
    // What stays on screen: the text after the last carriage return of a line (the progress bar is redrawn).
    const lines = r.screen
      .replace(/\x1b\[[0-9;]*[A-Za-z]/g, '')
      .split('\n')
      .map((l) => l.split('\r').at(-1)!)
    for (const line of lines) expect(stringWidth(line), line).toBeLessThanOrEqual(80)
    // A word longer than the line (a path) is broken, so compare without white space.
    const flat = lines.join('').replace(/\s+/g, '')
    for (const w of warnings) expect(flat).toContain(w.replace(/\s+/g, ''))
  }, 300_000)
})

describe.concurrent('compare with a long run name on a terminal', () => {
  it('keeps the box table at 80 columns: the run name breaks in its header, plain words (significant) never', async ({
    expect,
  }) => {
    const ton = join(ROOT, 'test/fixtures/trainer-logs/trl-grpo__ton__evvobjd4_output.log')
    const r = await onTerminal(['compare', GRPO_RUN, ton], {columns: 80})
    expect(r.status, r.stderr).toBe(0)
    const screen = plain(r.screen)
    expect(screen.split('\n')[1]).toMatch(/^┌/)
    expect(screen).toMatch(/│ significant │/)
    expect(screen).not.toMatch(/│ (signif|incorrec)[a-z]* *│\n│ *[a-z]+ *│/)
  }, 300_000)
})

describe.concurrent('compare of 3 runs at 80 columns', () => {
  it('stays a table: each accuracy above its interval, the counts and significant named as left out', async ({
    expect,
  }) => {
    const r = await onTerminal(['compare', GRPO_RUN, P30, OUTAGE], {columns: 80})
    expect(r.status, r.stderr).toBe(0)
    const screen = plain(r.screen)
    expect(screen.split('\n')[1]).toMatch(/^┌/)
    expect(screen).toMatch(/│ val +│ math +│ +66\.7 % │ +— │ +16\.7 % │ +-50\.0 │\n│ +│ +│ +\(30\.0–90\.3\) │/)
    expect(screen.replace(/\n/g, ' ')).toContain('grpo-seed1 n, training_p30 n, grpo-seed4 n, significant; --wide')
  }, 300_000)
})
