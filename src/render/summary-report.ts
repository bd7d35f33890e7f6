import type {CompareAccuracy, CompareResult, Diagnosis, EfficiencyResult, Summary} from '../metrics/types.js'
import {type CellStyle, type TableLayout, fitLine} from './fit-table.js'
import {type Cell, type ColumnSpec, WHOLE, csvTable, renderTable} from './text-table.js'
import {formatAccuracy, formatPercent, formatUsd} from './units.js'
import {markdownText} from './safe/markdown.js'
import {terminalText} from './safe/terminal.js'

export type ReportFormat = 'table' | 'md' | 'csv'

export interface Section {
  title: string
  columns: ColumnSpec[]
  rows: Cell[][]
  /** An alert (checks that failed): the title is red on a terminal. */
  alert?: boolean
  /** A line under the table (never in CSV). */
  footer?: string
}

/** A report as its parts: a title, tables, then lines (diagnosis, notes, warnings) — for text and HTML alike. */
export interface ReportParts {
  title: string
  sections: Section[]
  /** Diagnosis findings, alerts first. */
  diagnosis: Diagnosis[]
  notes: string[]
}

/** The columns' drop ranks are documented in docs/terminal-output.md: keep them in step. */
const col = (head: string, kind: ColumnSpec['kind'], drop = 0, style?: CellStyle): ColumnSpec => ({
  head,
  kind,
  drop,
  style,
})
const ORIGIN = (drop: number) => col('origin', 'name', drop, 'dim')

export function diagnosisLine(d: Diagnosis): string {
  return `${d.severity}: ${d.message}`
}

/** The diagnosis as a titled block of lines, alerts red and notices yellow on a terminal (none without a finding). */
function renderDiagnosis(diagnosis: Diagnosis[], format: ReportFormat, layout: TableLayout): string[] {
  if (diagnosis.length === 0) return []
  const alerts = diagnosis.filter((d) => d.severity === 'alert').length
  const notices = diagnosis.length - alerts
  const plural = (n: number, word: string) => (n > 0 ? [`${n} ${word}${n > 1 ? 's' : ''}`] : [])
  const title = `Diagnosis (${[...plural(alerts, 'alert'), ...plural(notices, 'notice')].join(', ')})`
  if (format === 'md')
    return [`### ${title}\n\n${diagnosis.map((d) => `- **${d.severity}** ${markdownText(d.message)}`).join('\n')}`]
  const line = (d: Diagnosis) => {
    const text = fitLine(terminalText(diagnosisLine(d)), layout)
    return d.severity === 'alert' ? layout.paint.alert(text) : layout.paint.notice(text)
  }
  return [`${fitLine(title, layout)}\n${diagnosis.map(line).join('\n')}`]
}

const DIAGNOSIS_COLUMNS = [
  col('kind', 'name'),
  col('severity', 'name'),
  col('split', 'name'),
  col('dataset', 'name'),
  col('from step', 'count'),
  col('to step', 'count'),
  col('value', 'figure'),
  col('threshold', 'figure'),
  col('message', 'text'),
]

function diagnosisSection(diagnosis: Diagnosis[]): Section {
  return {
    title: 'Diagnosis',
    columns: DIAGNOSIS_COLUMNS,
    rows: diagnosis.map((d) => [
      d.kind,
      d.severity,
      d.split,
      d.source,
      d.from_step,
      d.to_step,
      d.value,
      d.threshold,
      d.message,
    ]),
  }
}

function renderSections(
  sections: Section[],
  format: ReportFormat,
  layout: TableLayout,
  notes: string[] = [],
  diagnosis: Diagnosis[] = [],
): string {
  if (format === 'csv') {
    // One CSV block per section, separated by a blank line, each headed by its title in a comment-free first column.
    return sections
      .map((s) =>
        csvTable(
          ['section', ...s.columns.map((c) => c.head)],
          s.rows.map((r) => [s.title, ...r]),
        ),
      )
      .join('\n\n')
  }
  const out: string[] = []
  for (const s of sections) {
    if (s.rows.length === 0) continue
    const table = renderTable(s.columns, s.rows, format, layout)
    const footer = s.footer ? `\n${format === 'md' ? '\n' : ''}${s.footer}` : ''
    if (format === 'md') out.push(`### ${s.title}\n\n${table}${footer}`)
    else
      out.push(
        `${s.alert ? layout.paint.alert(fitLine(s.title, layout)) : fitLine(s.title, layout)}\n${table}${footer}`,
      )
  }
  out.push(...renderDiagnosis(diagnosis, format, layout))
  if (notes.length > 0) {
    // Notes quote the log (warnings): shown, never obeyed.
    const lines =
      format === 'md'
        ? notes.map((n) => `- ${markdownText(n)}`)
        : notes.map((n) => layout.paint.notice(fitLine(terminalText(n), layout)))
    out.push(lines.join('\n'))
  }
  return out.join('\n\n')
}

const rate = (v: number | null, format: ReportFormat) => (format === 'csv' || v === null ? v : v * 100)
/** Accuracy cells: with its interval for humans; CSV gets the interval as two more columns. */
type WithInterval = {accuracy: number | null; ci_low: number | null; ci_high: number | null}
const accuracyCells = (a: WithInterval, format: ReportFormat): Cell[] =>
  format === 'csv' ? [a.accuracy, a.ci_low, a.ci_high] : [formatAccuracy(a.accuracy, a.ci_low, a.ci_high)]
const accuracyColumns = (format: ReportFormat, label = 'accuracy'): ColumnSpec[] =>
  format === 'csv'
    ? [col(label, 'percent'), col(`${label} ci_low`, 'figure'), col(`${label} ci_high`, 'figure')]
    : [{...col(`${label} (95% CI)`, 'figure'), wrap: true}]
/** The tables, then the diagnosis as a table of its own: CSV has no free lines. */
const csvWithDiagnosis = (sections: Section[], diagnosis: Diagnosis[]): string =>
  renderSections([...sections, ...(diagnosis.length > 0 ? [diagnosisSection(diagnosis)] : [])], 'csv', WHOLE)

/** How many per-step metrics the summary table shows by default (`--metrics`). */
export const DEFAULT_METRIC_ROWS = 30

/** A run without GRPO evidence shows its own per-step metrics instead: the first `metricRows`, then how many more. */
export function renderSummary(
  s: Summary,
  format: ReportFormat,
  metricRows: number | 'all' = DEFAULT_METRIC_ROWS,
  layout: TableLayout = WHOLE,
): string {
  const parts = summaryParts(s, format, metricRows)
  if (format === 'csv') return csvWithDiagnosis(parts.sections, parts.diagnosis)
  const header = format === 'md' ? `## ${markdownText(parts.title)}` : fitLine(terminalText(parts.title), layout)
  return `${header}\n\n${renderSections(parts.sections, format, layout, parts.notes, parts.diagnosis)}`
}

/** What the `summarize` report holds: the terminal prints it, the HTML report shows it above the charts. */
export function summaryParts(
  s: Summary,
  format: ReportFormat,
  metricRows: number | 'all' = DEFAULT_METRIC_ROWS,
): ReportParts {
  const r = s.run
  const metrics = s.judge.origin === 'none' ? s.metrics : []
  const shown = metricRows === 'all' ? metrics : metrics.slice(0, metricRows)
  const hidden = metrics.length - shown.length
  const title = `${r.name ?? r.id ?? 'run'}${r.project ? ` (${r.project})` : ''} — ${r.state}${r.exit_code !== null ? `, exit ${r.exit_code}` : ''}, ${r.steps ?? '?'} steps${r.wandb_version ? `, wandb ${r.wandb_version}` : ''}`
  const sections: Section[] = [
    {
      title: 'Accuracy per dataset',
      columns: [
        col('split', 'name'),
        col('dataset', 'name'),
        col('correct', 'count', 3),
        col('count', 'count'),
        ...accuracyColumns(format),
        col('avg reward', 'number', 2),
        col('avg cost', 'usd', 1),
        ORIGIN(4),
      ],
      rows: s.datasets.map((d) => [
        d.split,
        d.source,
        d.correct,
        d.count,
        ...accuracyCells(d, format),
        d.avg_reward,
        d.avg_cost,
        d.origin,
      ]),
    },
    {
      title: 'Accuracy per split (all datasets)',
      columns: [col('split', 'name'), col('correct', 'count', 2), col('count', 'count', 1), ...accuracyColumns(format)],
      rows: s.splits.map((x) => [x.split, x.correct, x.count, ...accuracyCells(x, format)]),
    },
    {
      title: 'LLM judge',
      columns: [
        col('calls', 'count'),
        col('success', 'figure'),
        col('parse failures', 'figure'),
        col('API failures', 'figure'),
        col('verdicts correct', 'count', 2),
        col('incorrect', 'count', 3),
        col('correct ratio', 'percent', 1),
        ORIGIN(4),
      ],
      rows:
        s.judge.origin === 'none'
          ? []
          : [
              [
                s.judge.calls,
                withRate(s.judge.success, s.judge.success_rate, format),
                withRate(s.judge.parse_failures, s.judge.parse_failure_rate, format),
                withRate(s.judge.api_failures, s.judge.api_failure_rate, format),
                s.judge.correct,
                s.judge.incorrect,
                rate(s.judge.correct_ratio, format),
                s.judge.origin,
              ],
            ],
    },
    {
      title: 'API cost',
      columns: [
        col('total', 'usd'),
        col('samples', 'count'),
        col('per sample', 'usd'),
        col('executor calls', 'count', 2),
        col('judge calls', 'count', 3),
        col('API calls', 'count', 1),
        ORIGIN(4),
      ],
      rows:
        s.cost.origin === 'none'
          ? []
          : [
              [
                s.cost.total_cost,
                s.cost.samples,
                s.cost.avg_cost_per_sample,
                s.cost.executor_calls,
                s.cost.judge_calls,
                s.cost.api_calls,
                s.cost.origin,
              ],
            ],
    },
    {
      title: 'Per-step metrics the trainer logged',
      columns: [
        col('metric', 'name'),
        col('from', 'name', 5, 'dim'),
        col('points', 'count', 4),
        col('first', 'figure'),
        col('last', 'figure'),
        col('min', 'figure', 2),
        col('max', 'figure', 1),
        col('last step', 'count', 3),
      ],
      rows: shown.map((m) => [
        m.key,
        m.origin,
        m.points,
        ...[m.first, m.last, m.min, m.max].map(asLogged),
        m.last_step,
      ]),
      footer: hidden > 0 ? `… ${hidden} more (--metrics all)` : undefined,
    },
    {
      title: `Checks: logged values that disagree with the recomputation (${s.checks.length})`,
      columns: [col('metric', 'name'), col('step', 'count'), col('logged', 'figure'), col('recomputed', 'figure')],
      rows: s.checks.map((c) => [c.metric, c.step, c.logged, c.recomputed]),
      alert: true,
    },
  ]
  const missing = [
    s.datasets.length === 0 ? 'per-dataset accuracy' : null,
    s.judge.origin === 'none' ? 'LLM-judge figures' : null,
    s.cost.origin === 'none' ? 'API cost' : null,
  ].filter((m): m is string => m !== null)
  const notes = [
    ...(missing.length > 0 ? [`No evidence in this run for: ${missing.join(', ')}.`] : []),
    ...s.warnings.map((w) => `warning: ${w}`),
  ]
  return {title, sections, diagnosis: s.diagnosis, notes}
}

/** A value as the trainer logged it: a NaN or infinite loss is news (training diverged), so it keeps its name. */
function asLogged(v: number): Cell {
  return Number.isFinite(v) ? v : String(v)
}

function withRate(n: number | null, r: number | null, format: ReportFormat): Cell {
  if (format === 'csv') return n
  if (n === null) return null
  const count = n.toLocaleString('en-US')
  const p = r === null ? null : formatPercent(r * 100)
  return p === null ? count : `${count} (${p})`
}

const deltaCell = (delta: number | null, format: ReportFormat): Cell =>
  format === 'csv' ? delta : delta === null ? null : `${delta > 0 ? '+' : ''}${delta.toFixed(1)}`
/** Unknown when there is no gap to judge; otherwise yes when the two 95 % intervals do not overlap. */
const significantCell = (delta: number | null, significant: boolean, format: ReportFormat): Cell =>
  delta === null ? null : format === 'csv' ? significant : significant ? 'yes' : 'no'

/** The human report of `compare`: per dataset side by side, largest gaps first. */
export function renderCompare(c: CompareResult, format: ReportFormat, layout: TableLayout = WHOLE): string {
  const parts = renderCompareParts(c, format)
  if (format === 'csv') return csvWithDiagnosis(parts.sections, parts.diagnosis)
  return renderSections(parts.sections, format, layout, parts.notes, parts.diagnosis)
}

export function renderCompareParts(c: CompareResult, format: ReportFormat): Omit<ReportParts, 'title'> {
  const names = c.runs.map((r, i) => r.name ?? r.id ?? `run ${i + 1}`)
  const sorted = [...c.datasets].sort((a, b) => Math.abs(b.delta_pp ?? -1) - Math.abs(a.delta_pp ?? -1))
  const maxGap = sorted.find((d) => d.delta_pp !== null)
  const n = names.length
  const perRunColumns = [
    ...names.flatMap((name) => accuracyColumns(format, `${name} acc`)),
    // Counts go first, the last run's first; the gap and its significance are figures of their own.
    ...names.map((name, i) => col(`${name} n`, 'count', 2 * n - i)),
    col('Δ pp (last − first)', 'figure'),
    // Kept after the counts (an interval says much of it), dropped before an accuracy would have to go.
    col('significant', 'name', n),
  ]
  const perRunCells = (d: CompareAccuracy): Cell[] => [
    ...d.accuracy.flatMap((a, i) => accuracyCells({accuracy: a, ci_low: d.ci_low[i], ci_high: d.ci_high[i]}, format)),
    ...d.count,
    deltaCell(d.delta_pp, format),
    significantCell(d.delta_pp, d.significant, format),
  ]
  const sections: Section[] = [
    {
      title: 'Accuracy per dataset (largest gap first)',
      columns: [col('split', 'name'), col('dataset', 'name'), ...perRunColumns],
      rows: sorted.map((d) => [d.split, d.source, ...perRunCells(d)]),
    },
    {
      title: 'Accuracy per split (all datasets)',
      columns: [col('split', 'name'), ...perRunColumns],
      rows: c.splits.map((d) => [d.split, ...perRunCells(d)]),
    },
    {
      title: 'LLM judge',
      columns: [
        col('run', 'text'),
        col('calls', 'count', 3),
        col('success', 'percent'),
        col('parse failures', 'percent', 2),
        col('API failures', 'percent', 1),
        col('correct ratio', 'percent'),
      ],
      rows: c.judge.map((j, i) => [
        names[i],
        j.calls,
        rate(j.success_rate, format),
        rate(j.parse_failure_rate, format),
        rate(j.api_failure_rate, format),
        rate(j.correct_ratio, format),
      ]),
    },
    {
      title: 'API cost',
      columns: [
        col('run', 'text'),
        col('total', 'usd'),
        col('samples', 'count', 3),
        col('per sample', 'usd'),
        col('executor calls', 'count', 2),
        col('judge calls', 'count', 1),
      ],
      rows: c.cost.map((k, i) => [
        names[i],
        k.total_cost,
        k.samples,
        k.avg_cost_per_sample,
        k.executor_calls,
        k.judge_calls,
      ]),
    },
  ]
  const diagnosis = c.diagnosis.flatMap((list, i) => list.map((d) => ({...d, message: `${names[i]}: ${d.message}`})))
  const notes =
    maxGap && maxGap.delta_pp !== null
      ? [
          `Largest gap: ${maxGap.split} ${maxGap.source}, ${deltaCell(maxGap.delta_pp, 'table')} ` +
            `percentage points from ${names[0]} to ${names[names.length - 1]}` +
            (maxGap.significant
              ? ' (the 95 % intervals do not overlap).'
              : ' (within chance: the 95 % intervals overlap).'),
        ]
      : []
  return {sections, diagnosis, notes}
}

/** The human report of `efficiency`: the best step, then the top K steps by cost per correct answer. */
export function renderEfficiency(
  e: EfficiencyResult,
  format: ReportFormat,
  top: number,
  layout: TableLayout = WHOLE,
): string {
  const ranked = e.steps
    .filter((s) => s.cost_per_correct !== null)
    .sort((a, b) => a.cost_per_correct! - b.cost_per_correct! || a.step - b.step)
    .slice(0, top)
  const row = (s: EfficiencyResult['steps'][number]): Cell[] => [
    s.step,
    s.cost,
    s.correct,
    s.samples,
    s.accuracy,
    s.cost_per_correct,
  ]
  const columns = [
    col('step', 'count'),
    col('cost', 'usd', 1),
    col('correct', 'count', 3),
    col('samples', 'count', 2),
    col('accuracy', 'percent'),
    col('cost per correct', 'usd'),
  ]
  const sections: Section[] = [
    {title: `Most cost-efficient training steps (top ${ranked.length})`, columns, rows: ranked.map(row)},
    {
      title: 'Pareto frontier (cumulative cost against accuracy)',
      columns: [
        col('step', 'count'),
        col('cumulative cost', 'usd'),
        col('accuracy', 'percent'),
        col('cost per correct', 'usd', 1),
      ],
      rows: e.pareto.map((p) => [p.step, p.cumulative_cost, p.accuracy, p.cost_per_correct]),
    },
  ]
  if (format === 'csv') return renderSections(sections, format, layout)
  const best = e.best
    ? `Best step: ${e.best.step} — ${formatUsd(e.best.cost_per_correct) ?? '—'} per correct answer (${e.best.correct}/${e.best.samples} correct, ${formatUsd(e.best.cost) ?? '—'} spent).`
    : 'No step has both a known cost and a correct answer: no best step.'
  return `${fitLine(best, layout)}\n\n${renderSections(sections, format, layout)}`
}

/** One line per run (`summarize --all`): the headline figures of many runs, e.g. a sweep. */
export function renderSummaries(
  summaries: Summary[],
  dirs: string[],
  format: ReportFormat,
  layout: TableLayout = WHOLE,
): string {
  const overall = (s: Summary, split: 'train' | 'val'): number | null =>
    s.splits.find((x) => x.split === split)?.accuracy ?? null
  const columns = [
    col('run', 'name'),
    col('name', 'text', 6),
    col('state', 'name', 0, 'state'),
    col('steps', 'count', 5),
    col('train acc', 'percent'),
    col('val acc', 'percent'),
    col('judge success', 'percent', 2),
    col('total cost', 'usd', 1),
    col('checks', 'count', 4),
    col('warnings', 'count', 3),
    col('alerts', 'count', 0, 'alerts'),
    col('dir', 'path', 7),
  ]
  const rows: Cell[][] = summaries.map((s, i) => [
    s.run.id,
    s.run.name,
    s.run.state,
    s.run.steps,
    overall(s, 'train'),
    overall(s, 'val'),
    rate(s.judge.success_rate, format),
    s.cost.total_cost,
    s.checks.length,
    s.warnings.length,
    s.diagnosis.filter((d) => d.severity === 'alert').length,
    dirs[i],
  ])
  return renderTable(columns, rows, format, layout)
}
