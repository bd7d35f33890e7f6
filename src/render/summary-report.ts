import type {CompareAccuracy, CompareResult, Diagnosis, EfficiencyResult, Summary} from '../metrics/types.js'
import {type Cell, csvTable, markdownTable, textTable} from './text-table.js'
import {formatAccuracy, formatPercent, formatUsd} from './units.js'
import {markdownText} from './safe/markdown.js'
import {terminalText} from './safe/terminal.js'

export type ReportFormat = 'table' | 'md' | 'csv'

/** A line of text built from input (titles, notes) for a human format: shown, never obeyed. */
const textFor = (format: ReportFormat) => (format === 'md' ? markdownText : terminalText)

export interface Section {
  title: string
  head: string[]
  rows: Cell[][]
  rightAlign?: boolean[]
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

/** A diagnosis finding as one line of text. */
export function diagnosisLine(d: Diagnosis): string {
  return `${d.severity}: ${d.message}`
}

/** The diagnosis as a titled block of lines (nothing when there is no finding). */
function renderDiagnosis(diagnosis: Diagnosis[], format: ReportFormat): string[] {
  if (diagnosis.length === 0) return []
  const alerts = diagnosis.filter((d) => d.severity === 'alert').length
  const notices = diagnosis.length - alerts
  const plural = (n: number, word: string) => (n > 0 ? [`${n} ${word}${n > 1 ? 's' : ''}`] : [])
  const title = `Diagnosis (${[...plural(alerts, 'alert'), ...plural(notices, 'notice')].join(', ')})`
  return format === 'md'
    ? [`### ${title}\n\n${diagnosis.map((d) => `- **${d.severity}** ${markdownText(d.message)}`).join('\n')}`]
    : [`${title}\n${diagnosis.map((d) => terminalText(diagnosisLine(d))).join('\n')}`]
}

const DIAGNOSIS_HEAD = ['kind', 'severity', 'split', 'dataset', 'from step', 'to step', 'value', 'threshold', 'message']

function diagnosisSection(diagnosis: Diagnosis[]): Section {
  return {
    title: 'Diagnosis',
    head: DIAGNOSIS_HEAD,
    rows: diagnosis.map((d) => [
      d.kind, d.severity, d.split, d.source, d.from_step, d.to_step, d.value, d.threshold, d.message,
    ]),
  }
}

function renderSections(
  sections: Section[],
  format: ReportFormat,
  notes: string[] = [],
  diagnosis: Diagnosis[] = [],
): string {
  if (format === 'csv') {
    // One CSV block per section, separated by a blank line, each headed by its title in a comment-free first column.
    return sections.map((s) => csvTable(['section', ...s.head], s.rows.map((r) => [s.title, ...r]))).join('\n\n')
  }
  const out: string[] = []
  for (const s of sections) {
    if (s.rows.length === 0) continue
    const footer = s.footer ? `\n${format === 'md' ? '\n' : ''}${s.footer}` : ''
    if (format === 'md')
      out.push(`### ${s.title}\n\n${markdownTable(s.head, s.rows, {rightAlign: s.rightAlign})}${footer}`)
    else out.push(`${s.title}\n${textTable(s.head, s.rows, {rightAlign: s.rightAlign})}${footer}`)
  }
  out.push(...renderDiagnosis(diagnosis, format))
  const text = textFor(format)
  if (notes.length > 0) out.push(notes.map((n) => (format === 'md' ? `- ${text(n)}` : text(n))).join('\n'))
  return out.join('\n\n')
}

const pct = (v: number | null, format: ReportFormat) => (format === 'csv' ? v : formatPercent(v))
const rate = (v: number | null, format: ReportFormat) => (format === 'csv' ? v : v === null ? null : formatPercent(v * 100))
const usd = (v: number | null, format: ReportFormat) => (format === 'csv' ? v : formatUsd(v))
/** Accuracy cells: with its interval for humans; CSV gets the interval as two more columns. */
type WithInterval = {accuracy: number | null; ci_low: number | null; ci_high: number | null}
const accuracyCells = (a: WithInterval, format: ReportFormat): Cell[] =>
  format === 'csv' ? [a.accuracy, a.ci_low, a.ci_high] : [formatAccuracy(a.accuracy, a.ci_low, a.ci_high)]
const accuracyHead = (format: ReportFormat, label = 'accuracy'): string[] =>
  format === 'csv' ? [label, `${label} ci_low`, `${label} ci_high`] : [`${label} (95% CI)`]
/** The tables, then the diagnosis as a table of its own: CSV has no free lines. */
const csvWithDiagnosis = (sections: Section[], diagnosis: Diagnosis[]): string =>
  renderSections([...sections, ...(diagnosis.length > 0 ? [diagnosisSection(diagnosis)] : [])], 'csv')

/** How many per-step metrics the summary table shows by default (`--metrics`). */
export const DEFAULT_METRIC_ROWS = 30

/**
 * The human report of `summarize`. The run's own per-step metrics are shown when it has no GRPO evidence: the first
 * `metricRows` of them (all with `'all'`), with a line saying how many more there are.
 */
export function renderSummary(
  s: Summary,
  format: ReportFormat,
  metricRows: number | 'all' = DEFAULT_METRIC_ROWS,
): string {
  const parts = summaryParts(s, format, metricRows)
  if (format === 'csv') return csvWithDiagnosis(parts.sections, parts.diagnosis)
  const header = format === 'md' ? `## ${markdownText(parts.title)}` : terminalText(parts.title)
  return `${header}

${renderSections(parts.sections, format, parts.notes, parts.diagnosis)}`
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
  const accCols = accuracyHead(format).length
  const sections: Section[] = [
    {
      title: 'Accuracy per dataset',
      head: ['split', 'dataset', 'correct', 'count', ...accuracyHead(format), 'avg reward', 'avg cost', 'origin'],
      rightAlign: [false, false, true, true, ...Array<boolean>(accCols).fill(true), true, true, false],
      rows: s.datasets.map((d) => [
        d.split, d.source, d.correct, d.count, ...accuracyCells(d, format),
        d.avg_reward, usd(d.avg_cost, format), d.origin,
      ]),
    },
    {
      title: 'Accuracy per split (all datasets)',
      head: ['split', 'correct', 'count', ...accuracyHead(format)],
      rightAlign: [false, true, true, ...Array<boolean>(accCols).fill(true)],
      rows: s.splits.map((x) => [x.split, x.correct, x.count, ...accuracyCells(x, format)]),
    },
    {
      title: 'LLM judge',
      head: ['calls', 'success', 'parse failures', 'API failures', 'verdicts correct', 'incorrect', 'correct ratio', 'origin'],
      rows: s.judge.origin === 'none' ? [] : [
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
      head: ['total', 'samples', 'per sample', 'executor calls', 'judge calls', 'API calls', 'origin'],
      rows:
        s.cost.origin === 'none'
          ? []
          : [[usd(s.cost.total_cost, format), s.cost.samples, usd(s.cost.avg_cost_per_sample, format), s.cost.executor_calls, s.cost.judge_calls, s.cost.api_calls, s.cost.origin]],
    },
    {
      title: 'Per-step metrics the trainer logged',
      head: ['metric', 'from', 'points', 'first', 'last', 'min', 'max', 'last step'],
      rows: shown.map((m) => [m.key, m.origin, m.points, ...[m.first, m.last, m.min, m.max].map(asLogged), m.last_step]),
      footer: hidden > 0 ? `… ${hidden} more (--metrics all)` : undefined,
    },
    {
      title: `Checks: logged values that disagree with the recomputation (${s.checks.length})`,
      head: ['metric', 'step', 'logged', 'recomputed'],
      rows: s.checks.map((c) => [c.metric, c.step, c.logged, c.recomputed]),
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
  const p = r === null ? null : formatPercent(r * 100)
  return p === null ? n : `${n} (${p})`
}

const deltaCell = (delta: number | null, format: ReportFormat): Cell =>
  format === 'csv' ? delta : delta === null ? null : `${delta > 0 ? '+' : ''}${delta.toFixed(1)}`
/** Unknown when there is no gap to judge; otherwise yes when the two 95 % intervals do not overlap. */
const significantCell = (delta: number | null, significant: boolean, format: ReportFormat): Cell =>
  delta === null ? null : format === 'csv' ? significant : significant ? 'yes' : 'no'

/** The human report of `compare`: per dataset side by side, largest gaps first. */
export function renderCompare(c: CompareResult, format: ReportFormat): string {
  const parts = renderCompareParts(c, format)
  if (format === 'csv') return csvWithDiagnosis(parts.sections, parts.diagnosis)
  return renderSections(parts.sections, format, parts.notes, parts.diagnosis)
}

/** What the `compare` report holds (the terminal prints it, the HTML report shows it above the charts). */
export function renderCompareParts(c: CompareResult, format: ReportFormat): Omit<ReportParts, 'title'> {
  const names = c.runs.map((r, i) => r.name ?? r.id ?? `run ${i + 1}`)
  const sorted = [...c.datasets].sort((a, b) => Math.abs(b.delta_pp ?? -1) - Math.abs(a.delta_pp ?? -1))
  const maxGap = sorted.find((d) => d.delta_pp !== null)
  const perRunHead = [...names.flatMap((n) => accuracyHead(format, `${n} acc`)), ...names.map((n) => `${n} n`)]
  const perRunCells = (d: CompareAccuracy) =>
    d.accuracy.flatMap((a, i) => accuracyCells({accuracy: a, ci_low: d.ci_low[i], ci_high: d.ci_high[i]}, format))
  const sections: Section[] = [
    {
      title: 'Accuracy per dataset (largest gap first)',
      head: ['split', 'dataset', ...perRunHead, 'Δ pp (last − first)', 'significant'],
      rows: sorted.map((d) => [
        d.split,
        d.source,
        ...perRunCells(d),
        ...d.count,
        deltaCell(d.delta_pp, format),
        significantCell(d.delta_pp, d.significant, format),
      ]),
    },
    {
      title: 'Accuracy per split (all datasets)',
      head: ['split', ...perRunHead, 'Δ pp (last − first)', 'significant'],
      rows: c.splits.map((d) => [
        d.split,
        ...perRunCells(d),
        ...d.count,
        deltaCell(d.delta_pp, format),
        significantCell(d.delta_pp, d.significant, format),
      ]),
    },
    {
      title: 'LLM judge',
      head: ['run', 'calls', 'success', 'parse failures', 'API failures', 'correct ratio'],
      rows: c.judge.map((j, i) => [names[i], j.calls, rate(j.success_rate, format), rate(j.parse_failure_rate, format), rate(j.api_failure_rate, format), rate(j.correct_ratio, format)]),
    },
    {
      title: 'API cost',
      head: ['run', 'total', 'samples', 'per sample', 'executor calls', 'judge calls'],
      rows: c.cost.map((k, i) => [names[i], usd(k.total_cost, format), k.samples, usd(k.avg_cost_per_sample, format), k.executor_calls, k.judge_calls]),
    },
  ]
  const diagnosis = c.diagnosis.flatMap((list, i) => list.map((d) => ({...d, message: `${names[i]}: ${d.message}`})))
  const notes =
    maxGap && maxGap.delta_pp !== null
      ? [
          `Largest gap: ${maxGap.split} ${maxGap.source}, ${deltaCell(maxGap.delta_pp, format)} ` +
            `percentage points from ${names[0]} to ${names[names.length - 1]}` +
            (maxGap.significant
              ? ' (the 95 % intervals do not overlap).'
              : ' (within chance: the 95 % intervals overlap).'),
        ]
      : []
  return {sections, diagnosis, notes}
}

/** The human report of `efficiency`: the best step, then the top K steps by cost per correct answer. */
export function renderEfficiency(e: EfficiencyResult, format: ReportFormat, top: number): string {
  const ranked = e.steps
    .filter((s) => s.cost_per_correct !== null)
    .sort((a, b) => a.cost_per_correct! - b.cost_per_correct! || a.step - b.step)
    .slice(0, top)
  const row = (s: EfficiencyResult['steps'][number]): Cell[] => [s.step, usd(s.cost, format), s.correct, s.samples, pct(s.accuracy, format), usd(s.cost_per_correct, format)]
  const head = ['step', 'cost', 'correct', 'samples', 'accuracy', 'cost per correct']
  const sections: Section[] = [
    {title: `Most cost-efficient training steps (top ${ranked.length})`, head, rows: ranked.map(row)},
    {
      title: 'Pareto frontier (cumulative cost against accuracy)',
      head: ['step', 'cumulative cost', 'accuracy', 'cost per correct'],
      rows: e.pareto.map((p) => [p.step, usd(p.cumulative_cost, format), pct(p.accuracy, format), usd(p.cost_per_correct, format)]),
    },
  ]
  if (format === 'csv') return renderSections(sections, format)
  const best = e.best
    ? `Best step: ${e.best.step} — ${formatUsd(e.best.cost_per_correct) ?? '—'} per correct answer (${e.best.correct}/${e.best.samples} correct, ${formatUsd(e.best.cost) ?? '—'} spent).`
    : 'No step has both a known cost and a correct answer: no best step.'
  return `${best}\n\n${renderSections(sections, format)}`
}

/** One line per run (`summarize --all`): the headline figures of many runs, e.g. a sweep. */
export function renderSummaries(summaries: Summary[], dirs: string[], format: ReportFormat): string {
  const overall = (s: Summary, split: 'train' | 'val'): number | null =>
    s.splits.find((x) => x.split === split)?.accuracy ?? null
  const head = [
    'run', 'name', 'state', 'steps', 'train acc', 'val acc', 'judge success', 'total cost',
    'checks', 'warnings', 'alerts', 'dir',
  ]
  const rows: Cell[][] = summaries.map((s, i) => [
    s.run.id,
    s.run.name,
    s.run.state,
    s.run.steps,
    pct(overall(s, 'train'), format),
    pct(overall(s, 'val'), format),
    rate(s.judge.success_rate, format),
    usd(s.cost.total_cost, format),
    s.checks.length,
    s.warnings.length,
    s.diagnosis.filter((d) => d.severity === 'alert').length,
    dirs[i],
  ])
  if (format === 'csv') return csvTable(head, rows)
  if (format === 'md') return markdownTable(head, rows)
  return textTable(head, rows)
}
