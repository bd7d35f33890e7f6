import type {CompareResult, EfficiencyResult, Summary} from '../metrics/types.js'
import type {TrainerMetric} from '../metrics/summarize-run.js'
import {type TableLayout, fitLine} from './fit-table.js'
import {type Cell, type ColumnSpec, WHOLE, csvTable, renderTable} from './text-table.js'
import {formatPercent, formatUsd} from './units.js'

export type ReportFormat = 'table' | 'md' | 'csv'

interface Section {
  title: string
  columns: ColumnSpec[]
  rows: Cell[][]
  /** An alert (checks that failed): the title is red on a terminal. */
  alert?: boolean
}

/** The columns' drop ranks are documented in docs/terminal-output.md: keep them in step. */
const col = (head: string, kind: ColumnSpec['kind'], drop = 0, style?: 'dim'): ColumnSpec => ({head, kind, drop, style})
const ORIGIN = (drop: number) => col('origin', 'name', drop, 'dim')

function renderSections(sections: Section[], format: ReportFormat, layout: TableLayout, notes: string[] = []): string {
  if (format === 'csv') {
    // One CSV block per section, separated by a blank line, each headed by its title in a comment-free first column.
    return sections
      .map((s) => csvTable(['section', ...s.columns.map((c) => c.head)], s.rows.map((r) => [s.title, ...r])))
      .join('\n\n')
  }
  const out: string[] = []
  for (const s of sections) {
    if (s.rows.length === 0) continue
    const table = renderTable(s.columns, s.rows, format, layout)
    if (format === 'md') out.push(`### ${s.title}\n\n${table}`)
    else out.push(`${s.alert ? layout.paint.alert(fitLine(s.title, layout)) : fitLine(s.title, layout)}\n${table}`)
  }
  if (notes.length > 0) {
    const lines = format === 'md' ? notes.map((n) => `- ${n}`) : notes.map((n) => layout.paint.notice(fitLine(n, layout)))
    out.push(lines.join('\n'))
  }
  return out.join('\n\n')
}

const rate = (v: number | null, format: ReportFormat) => (format === 'csv' || v === null ? v : v * 100)

/** The human report of `summarize`; `metrics` are the run's own per-step metrics, shown when it has no GRPO evidence. */
export function renderSummary(
  s: Summary,
  format: ReportFormat,
  metrics: TrainerMetric[] = [],
  layout: TableLayout = WHOLE,
): string {
  const r = s.run
  const title = `${r.name ?? r.id ?? 'run'}${r.project ? ` (${r.project})` : ''} — ${r.state}${r.exit_code !== null ? `, exit ${r.exit_code}` : ''}, ${r.steps ?? '?'} steps${r.wandb_version ? `, wandb ${r.wandb_version}` : ''}`
  const sections: Section[] = [
    {
      title: 'Accuracy per dataset',
      columns: [
        col('split', 'name'), col('dataset', 'name'), col('correct', 'count', 3), col('count', 'count'),
        col('accuracy', 'percent'), col('avg reward', 'number', 2), col('avg cost', 'usd', 1), ORIGIN(4),
      ],
      rows: s.datasets.map((d) => [d.split, d.source, d.correct, d.count, d.accuracy, d.avg_reward, d.avg_cost, d.origin]),
    },
    {
      title: 'LLM judge',
      columns: [
        col('calls', 'count'), col('success', 'figure'), col('parse failures', 'figure'), col('API failures', 'figure'),
        col('verdicts correct', 'count', 2), col('incorrect', 'count', 3), col('correct ratio', 'percent', 1),
        ORIGIN(4),
      ],
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
      columns: [
        col('total', 'usd'), col('samples', 'count'), col('per sample', 'usd'), col('executor calls', 'count', 2),
        col('judge calls', 'count', 3), col('API calls', 'count', 1), ORIGIN(4),
      ],
      rows:
        s.cost.origin === 'none'
          ? []
          : [[s.cost.total_cost, s.cost.samples, s.cost.avg_cost_per_sample, s.cost.executor_calls, s.cost.judge_calls,
              s.cost.api_calls, s.cost.origin]],
    },
    {
      title: 'Per-step metrics the trainer logged',
      columns: [
        col('metric', 'name'), col('from', 'name', 5, 'dim'), col('points', 'count', 4), col('first', 'figure'),
        col('last', 'figure'), col('min', 'figure', 2), col('max', 'figure', 1), col('last step', 'count', 3),
      ],
      rows: s.judge.origin === 'none' ? metrics.map((m) => [m.key, m.origin, m.points, m.first, m.last, m.min, m.max, m.last_step]) : [],
    },
    {
      title: `Checks: logged values that disagree with the recomputation (${s.checks.length})`,
      columns: [col('metric', 'name'), col('step', 'count'), col('logged', 'figure'), col('recomputed', 'figure')],
      rows: s.checks.map((c) => [c.metric, c.step, c.logged, c.recomputed]),
      alert: true,
    },
  ]
  if (format === 'csv') return renderSections(sections, format, layout)
  const missing = [
    s.datasets.length === 0 ? 'per-dataset accuracy' : null,
    s.judge.origin === 'none' ? 'LLM-judge figures' : null,
    s.cost.origin === 'none' ? 'API cost' : null,
  ].filter((m): m is string => m !== null)
  const notes = [
    ...(missing.length > 0 ? [`No evidence in this run for: ${missing.join(', ')}.`] : []),
    ...s.warnings.map((w) => `warning: ${w}`),
  ]
  const header = format === 'md' ? `## ${title}` : fitLine(title, layout)
  return `${header}\n\n${renderSections(sections, format, layout, notes)}`
}

function withRate(n: number | null, r: number | null, format: ReportFormat): Cell {
  if (format === 'csv') return n
  if (n === null) return null
  const count = n.toLocaleString('en-US')
  return r === null ? count : `${count} (${formatPercent(r * 100)})`
}

/** The human report of `compare`: per dataset side by side, largest gaps first. */
export function renderCompare(c: CompareResult, format: ReportFormat, layout: TableLayout = WHOLE): string {
  const names = c.runs.map((r, i) => r.name ?? r.id ?? `run ${i + 1}`)
  const sorted = [...c.datasets].sort((a, b) => Math.abs(b.delta_pp ?? -1) - Math.abs(a.delta_pp ?? -1))
  const maxGap = sorted.find((d) => d.delta_pp !== null)
  const n = names.length
  const sections: Section[] = [
    {
      title: 'Accuracy per dataset (largest gap first)',
      columns: [
        col('split', 'name'),
        col('dataset', 'name'),
        ...names.map((name) => col(`${name} acc`, 'percent')),
        // Counts go first, the last run's first; the gap is a figure of its own.
        ...names.map((name, i) => col(`${name} n`, 'count', 2 * n - i)),
        col('Δ pp (last − first)', 'figure'),
      ],
      rows: sorted.map((d) => [
        d.split,
        d.source,
        ...d.accuracy,
        ...d.count,
        format === 'csv' ? d.delta_pp : d.delta_pp === null ? null : `${d.delta_pp > 0 ? '+' : ''}${d.delta_pp.toFixed(1)}`,
      ]),
    },
    {
      title: 'LLM judge',
      columns: [
        col('run', 'text'), col('calls', 'count', 3), col('success', 'percent'), col('parse failures', 'percent', 2),
        col('API failures', 'percent', 1), col('correct ratio', 'percent'),
      ],
      rows: c.judge.map((j, i) => [names[i], j.calls, rate(j.success_rate, format), rate(j.parse_failure_rate, format), rate(j.api_failure_rate, format), rate(j.correct_ratio, format)]),
    },
    {
      title: 'API cost',
      columns: [
        col('run', 'text'), col('total', 'usd'), col('samples', 'count', 3), col('per sample', 'usd'),
        col('executor calls', 'count', 2), col('judge calls', 'count', 1),
      ],
      rows: c.cost.map((k, i) => [
        names[i], k.total_cost, k.samples, k.avg_cost_per_sample, k.executor_calls, k.judge_calls,
      ]),
    },
  ]
  if (format === 'csv') return renderSections(sections, format, layout)
  const notes =
    maxGap && maxGap.delta_pp !== null
      ? [`Largest gap: ${maxGap.split} ${maxGap.source}, ${maxGap.delta_pp > 0 ? '+' : ''}${maxGap.delta_pp.toFixed(1)} percentage points from ${names[0]} to ${names[names.length - 1]}.`]
      : []
  return renderSections(sections, format, layout, notes)
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
  const row = (s: EfficiencyResult['steps'][number]): Cell[] =>
    [s.step, s.cost, s.correct, s.samples, s.accuracy, s.cost_per_correct]
  const columns = [
    col('step', 'count'), col('cost', 'usd', 1), col('correct', 'count', 3), col('samples', 'count', 2),
    col('accuracy', 'percent'), col('cost per correct', 'usd'),
  ]
  const sections: Section[] = [
    {title: `Most cost-efficient training steps (top ${ranked.length})`, columns, rows: ranked.map(row)},
    {
      title: 'Pareto frontier (cumulative cost against accuracy)',
      columns: [
        col('step', 'count'), col('cumulative cost', 'usd'), col('accuracy', 'percent'), col('cost per correct', 'usd', 1),
      ],
      rows: e.pareto.map((p) => [p.step, p.cumulative_cost, p.accuracy, p.cost_per_correct]),
    },
  ]
  if (format === 'csv') return renderSections(sections, format, layout)
  const best = e.best
    ? `Best step: ${e.best.step} — ${formatUsd(e.best.cost_per_correct)} per correct answer (${e.best.correct}/${e.best.samples} correct, ${formatUsd(e.best.cost)} spent).`
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
  const overall = (s: Summary, split: 'train' | 'val'): number | null => {
    const ds = s.datasets.filter((d) => d.split === split && d.count !== null && d.correct !== null)
    const count = ds.reduce((n, d) => n + d.count!, 0)
    return count > 0 ? (100 * ds.reduce((n, d) => n + d.correct!, 0)) / count : null
  }
  const columns = [
    col('run', 'name'), col('name', 'text', 6), col('state', 'name'), col('steps', 'count', 5),
    col('train acc', 'percent'), col('val acc', 'percent'), col('judge success', 'percent', 2),
    col('total cost', 'usd', 1), col('checks', 'count', 4), col('warnings', 'count', 3), col('dir', 'path', 7),
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
    dirs[i],
  ])
  return renderTable(columns, rows, format, layout)
}
