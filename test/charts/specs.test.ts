import {describe, expect, it} from 'vitest'
import {compileSpec} from '../../src/charts/render-svg.js'
import {runLabels, usdFormat} from '../../src/charts/common.js'
import {accuracyRows, summaryAccuracySpec} from '../../src/charts/summary-accuracy.js'
import {judgeRows, summaryJudgeSpec} from '../../src/charts/summary-judge.js'
import {costRows, summaryCostSpec} from '../../src/charts/summary-cost.js'
import {compareAccuracySpec} from '../../src/charts/compare-accuracy.js'
import {compareJudgeSpec} from '../../src/charts/compare-judge.js'
import {compareCostSpec} from '../../src/charts/compare-cost.js'
import {compareDatasetRows, compareDatasetsSpec} from '../../src/charts/compare-datasets.js'
import {costPerCorrectRows, efficiencyCostPerCorrectSpec} from '../../src/charts/efficiency-cost-per-correct.js'
import {efficiencyParetoSpec, paretoRows} from '../../src/charts/efficiency-pareto.js'
import {summaryChartSpec, summaryHeadline} from '../../src/charts/summary-chart.js'
import {compareChartSpec, compareHeadline, compareRunLabels} from '../../src/charts/compare-chart.js'
import {efficiencyChartSpec, efficiencyHeadline} from '../../src/charts/efficiency-chart.js'
import {COMPARE_INPUT, DATASETS, EFFICIENCY_INPUT, RUN_A, RUN_B, STEPS, SUMMARY_INPUT} from './fixtures.js'

// Specs are plain JSON: read them as such.
type Json = any // eslint-disable-line @typescript-eslint/no-explicit-any
const j = (x: unknown): Json => JSON.parse(JSON.stringify(x))
const values = (spec: Json): Json[] => spec.data.values

describe('summary-accuracy', () => {
  const spec = j(summaryAccuracySpec(RUN_A.series))

  it('draws the series points unchanged, one facet per dataset', () => {
    expect(values(spec)).toHaveLength(RUN_A.series.datasets.length)
    expect(values(spec)).toEqual(
      RUN_A.series.datasets.map((p) => ({
        step: p.step,
        split: p.split,
        source: p.source,
        correct: p.correct,
        count: p.count,
        accuracy: p.accuracy,
        ci_low: p.ci_low,
        ci_high: p.ci_high,
      })),
    )
    expect(spec.facet).toMatchObject({field: 'source', sort: [...DATASETS]})
    expect(spec.columns).toBe(3)
    expect(values(spec).filter((r: Json) => r.split === 'val')).toHaveLength(DATASETS.length * 3)
  })

  it('draws training as lines and validation as points, accuracy in % over steps', () => {
    const [train, val] = spec.spec.layer
    expect(train.transform[0].filter).toContain("'train'")
    expect(train.mark.type).toBe('line')
    expect(val.transform[0].filter).toContain("'val'")
    expect(val.mark.type).toBe('point')
    for (const layer of [train, val]) {
      expect(layer.encoding.x).toMatchObject({field: 'step', type: 'quantitative', title: 'step'})
      expect(layer.encoding.y).toMatchObject({field: 'accuracy', title: 'accuracy (%)', scale: {domain: [0, 100]}})
      expect(layer.encoding.color).toMatchObject({field: 'split', scale: {domain: ['train', 'val']}})
    }
  })

  it('has nothing to draw without points', () => {
    expect(summaryAccuracySpec({datasets: [], judge: [], cost: []})).toBeNull()
  })

  it('draws the 95 % interval of each point: a band along training, a bar through each validation point', () => {
    const [, , band, bars] = spec.spec.layer
    expect(band.mark.type).toBe('area')
    expect(band.transform[0].filter).toContain("'train'")
    expect(bars.mark.type).toBe('rule')
    expect(bars.transform[0].filter).toContain("'val'")
    for (const layer of [band, bars]) {
      expect(layer.encoding.y).toMatchObject({field: 'ci_low', scale: {domain: [0, 100]}})
      expect(layer.encoding.y2).toEqual({field: 'ci_high'})
    }
  })
})

describe('summary-judge', () => {
  const spec = j(summaryJudgeSpec(RUN_A.series))

  it('has three rates per step, fractions as given, unknown ones null (never 0)', () => {
    const rows = values(spec)
    expect(rows).toHaveLength(STEPS * 3)
    const step17 = rows.filter((r: Json) => r.step === 17)
    expect(step17.map((r: Json) => r.rate)).toEqual([null, null, null])
    const step5 = RUN_A.series.judge.find((p) => p.step === 5)!
    expect(rows.filter((r: Json) => r.step === 5).map((r: Json) => r.rate)).toEqual([
      step5.success_rate,
      step5.parse_failure_rate,
      step5.api_failure_rate,
    ])
  })

  it('shows success and failures in two panels, as percent, breaking lines at unknown steps', () => {
    const [success, failures] = spec.hconcat
    expect(success.transform[0].filter).toContain("'success'")
    expect(success.encoding.y).toMatchObject({field: 'rate', title: 'success rate (%)', axis: {format: '.0%'}})
    expect(failures.encoding.y).toMatchObject({field: 'rate', title: 'failure rate (%)'})
    expect(failures.encoding.color).toMatchObject({field: 'metric', scale: {domain: ['parse failure', 'API failure']}})
    for (const p of [success, failures]) {
      expect(p.mark.invalid).toBe('break-paths-filter-domains')
      expect(p.encoding.x.title).toBe('step')
    }
  })

  it('marks the judge threshold as a rule and shades each judge_window of the diagnosis', () => {
    const marked = j(summaryJudgeSpec(RUN_A.series, {threshold: 0.8, windows: RUN_A.summary.diagnosis}))
    const [success] = marked.hconcat
    const [spans, rate, rule, label] = success.layer
    expect(spans.mark.type).toBe('rect')
    expect(spans.data.values).toEqual([expect.objectContaining({from: 11.5, to: 14.5, from_step: 12, to_step: 14})])
    expect(rate.mark.type).toBe('line')
    expect(rate.transform[0].filter).toContain("'success'")
    expect(rule.mark.type).toBe('rule')
    expect(rule.data.values[0].threshold).toBe(0.8)
    expect(label.encoding.text).toEqual({field: 'label'})
    expect(label.data.values[0].label).toBe('judge threshold 80%')
    const none = j(summaryJudgeSpec(RUN_A.series, {threshold: 0.9, windows: []}))
    expect(none.hconcat[0].layer.map((l: Json) => l.mark.type ?? l.mark)).toEqual(['line', 'rule', 'text'])
    expect(none.hconcat[0].layer[1].data.values[0].threshold).toBe(0.9)
  })

  it('has nothing to draw when every rate is unknown', () => {
    expect(
      summaryJudgeSpec({
        datasets: [],
        cost: [],
        judge: [{step: 1, calls: 0, success_rate: null, parse_failure_rate: null, api_failure_rate: null}],
      }),
    ).toBeNull()
  })

  it('keeps a null rate null', () => {
    expect(judgeRows([{step: 3, calls: 10, success_rate: 0.9, parse_failure_rate: null, api_failure_rate: 0}])).toEqual(
      [
        {step: 3, calls: 10, metric: 'success', rate: 0.9},
        {step: 3, calls: 10, metric: 'parse failure', rate: null},
        {step: 3, calls: 10, metric: 'API failure', rate: 0},
      ],
    )
  })
})

describe('summary-cost', () => {
  const spec = j(summaryCostSpec(RUN_A.series))

  it('draws cumulative cost in USD over steps, unknown cost as null', () => {
    const [cumulative, perStep] = spec.hconcat
    expect(values(cumulative)).toEqual(RUN_A.series.cost)
    expect(values(cumulative).find((r: Json) => r.step === 23)).toEqual({step: 23, cost: null, cumulative_cost: null})
    expect(cumulative.encoding.y).toMatchObject({field: 'cumulative_cost', title: 'cumulative cost (USD)'})
    expect(cumulative.encoding.y.axis.format).toMatch(/^\$/)
    expect(cumulative.mark.invalid).toBe('break-paths-filter-domains')
    expect(perStep.mark.type).toBe('bar')
    expect(perStep.transform[0].filter).toContain('isValid(datum.cost)')
    expect(perStep.encoding.y).toMatchObject({field: 'cost', title: 'cost per step (USD)'})
  })

  it('draws only what is known', () => {
    const rows = costRows([{step: 1, cost: null, cumulative_cost: null}])
    expect(rows).toEqual([{step: 1, cost: null, cumulative_cost: null}])
    expect(summaryCostSpec({datasets: [], judge: [], cost: [{step: 1, cost: null, cumulative_cost: null}]})).toBeNull()
  })

  it('formats dollars for the size of the figures', () => {
    expect(usdFormat([120, 3])).toBe('$,.0f')
    expect(usdFormat([8.2, null])).toBe('$,.2f')
    expect(usdFormat([0.46])).toBe('$,.2f')
    expect(usdFormat([0.05])).toBe('$,.3f')
    expect(usdFormat([0.004])).toBe('$,.5f')
  })
})

describe('compare charts', () => {
  const labels = compareRunLabels(COMPARE_INPUT)

  it('labels runs uniquely and in order', () => {
    expect(labels).toEqual([RUN_A.summary.run.name, RUN_B.summary.run.name])
    expect(
      runLabels([
        {name: 'a', id: 'x1'},
        {name: 'a', id: 'x2'},
        {name: null, id: null},
      ]),
    ).toEqual(['a (x1)', 'a (x2)', 'run 3'])
    expect(
      runLabels([
        {name: 'a', id: null},
        {name: 'a', id: null},
      ]),
    ).toEqual(['a #1', 'a #2'])
  })

  it('draws accuracy per dataset with one colour per run', () => {
    const spec = j(compareAccuracySpec(COMPARE_INPUT.runs, labels))
    expect(values(spec)).toEqual([
      ...accuracyRows(RUN_A.series.datasets, labels[0]),
      ...accuracyRows(RUN_B.series.datasets, labels[1]),
    ])
    const [train, val] = spec.spec.layer
    expect(train.encoding.color).toMatchObject({field: 'run', scale: {domain: labels}})
    expect(val.encoding.color).toMatchObject({field: 'run', scale: {domain: labels}})
    expect(values(spec).some((r: Json) => r.run === labels[1] && r.source === 'humaneval')).toBe(false)
  })

  it('draws judge rates and cumulative cost per run', () => {
    const judge = j(compareJudgeSpec(COMPARE_INPUT.runs, labels))
    expect(values(judge)).toHaveLength(2 * STEPS * 3)
    expect(judge.hconcat[0].encoding.color).toMatchObject({field: 'run', scale: {domain: labels}})
    expect(judge.hconcat[1].encoding.strokeDash).toMatchObject({field: 'metric'})
    // with the diagnosis' threshold: the rule, and each run's judge windows in the run's colour
    const marked = j(compareJudgeSpec(COMPARE_INPUT.runs, labels, 0.9))
    const [spans, rate, rule] = marked.hconcat[0].layer
    expect(spans.data.values).toEqual([expect.objectContaining({run: labels[0], from_step: 12, to_step: 14})])
    expect(spans.encoding.color).toMatchObject({field: 'run', scale: {domain: labels}})
    expect(rate.encoding.color).toMatchObject({field: 'run', scale: {domain: labels}})
    expect(rule.data.values[0].threshold).toBe(0.9)
    const cost = j(compareCostSpec(COMPARE_INPUT.runs, labels))
    expect(values(cost)).toEqual([...costRows(RUN_A.series.cost, labels[0]), ...costRows(RUN_B.series.cost, labels[1])])
    expect(cost.encoding.color).toMatchObject({field: 'run', scale: {domain: labels}})
    expect(cost.encoding.y.title).toBe('cumulative cost (USD)')
  })

  it("draws the table's accuracies as bars and skips a run's missing dataset", () => {
    const rows = compareDatasetRows(COMPARE_INPUT.compare, labels)
    const humaneval = rows.filter((r) => r.source === 'humaneval')
    expect(humaneval.map((r) => r.run)).toEqual([labels[0], labels[0]])
    for (const r of rows) {
      const d = COMPARE_INPUT.compare.datasets.find((x) => x.source === r.source && x.split === r.split)!
      expect(r.accuracy).toBe(d.accuracy[labels.indexOf(r.run)])
    }
    const spec = j(compareDatasetsSpec(COMPARE_INPUT.compare, labels))
    const [bar, interval] = spec.layer
    expect(bar.mark.type).toBe('bar')
    expect(bar.encoding.x).toMatchObject({field: 'accuracy', title: 'accuracy (%)', scale: {domain: [0, 100]}})
    expect(spec.encoding.y).toMatchObject({field: 'dataset', title: 'dataset (split)'})
    expect(spec.encoding.yOffset.field).toBe('run')
    // each bar's 95 % interval, as a line across it
    expect(interval.mark.type).toBe('rule')
    expect(interval.encoding.x).toMatchObject({field: 'ci_low'})
    expect(interval.encoding.x2).toEqual({field: 'ci_high'})
    for (const r of rows) {
      const d = COMPARE_INPUT.compare.datasets.find((x) => x.source === r.source && x.split === r.split)!
      expect([r.ci_low, r.ci_high]).toEqual([d.ci_low[labels.indexOf(r.run)], d.ci_high[labels.indexOf(r.run)]])
    }
  })
})

describe('efficiency charts', () => {
  const eff = RUN_A.efficiency

  it('draws cost per correct over steps with the best step marked', () => {
    const spec = j(efficiencyCostPerCorrectSpec(eff))
    const [line, rule, point, text] = spec.layer
    expect(values(line)).toEqual(costPerCorrectRows(eff))
    expect(values(line).find((r: Json) => r.step === 23).cost_per_correct).toBeNull()
    expect(line.encoding.y).toMatchObject({field: 'cost_per_correct', title: 'cost per correct answer (USD)'})
    expect(line.encoding.x.title).toBe('step')
    expect(rule.mark.type).toBe('rule')
    expect(values(rule)[0].step).toBe(eff.best!.step)
    expect(point.mark.shape).toBe('diamond')
    expect(values(text)[0].label).toContain(`best: step ${eff.best!.step}`)
  })

  it('leaves the best marker out when there is no best step', () => {
    const spec = j(efficiencyCostPerCorrectSpec({...eff, best: null}))
    expect(spec.layer).toHaveLength(1)
  })

  it('draws the Pareto frontier by cumulative cost, and the other steps from the cost series', () => {
    const rows = paretoRows(eff, RUN_A.series.cost)
    const frontier = rows.filter((r) => r.kind === 'Pareto frontier')
    expect(frontier.map((r) => r.step)).toEqual(eff.pareto.filter((p) => p.cumulative_cost !== null).map((p) => p.step))
    expect(frontier.map((r) => r.cumulative_cost)).toEqual(
      [...frontier.map((r) => r.cumulative_cost)].sort((a, b) => a - b),
    )
    for (const r of rows.filter((x) => x.kind === 'other steps')) {
      expect(r.cumulative_cost).toBe(RUN_A.series.cost.find((c) => c.step === r.step)!.cumulative_cost)
      expect(r.accuracy).toBe(eff.steps.find((s) => s.step === r.step)!.accuracy)
    }
    // Steps whose cumulative cost is unknown are not placed at 0.
    expect(rows.some((r) => r.step >= 23)).toBe(false)
    const spec = j(efficiencyParetoSpec(eff, RUN_A.series.cost))
    expect(values(spec)).toEqual(j(rows))
    const [points, line] = spec.layer
    expect(points.encoding.x).toMatchObject({field: 'cumulative_cost', title: 'cumulative cost (USD)'})
    expect(points.encoding.y).toMatchObject({field: 'accuracy', title: 'accuracy (%)'})
    expect(line.mark).toMatchObject({type: 'line', interpolate: 'step-after'})
    expect(paretoRows(eff).every((r) => r.kind === 'Pareto frontier')).toBe(true)
  })
})

describe('composers', () => {
  const cases = [
    ['summarize', summaryChartSpec(SUMMARY_INPUT), 'vconcat', 3],
    ['compare', compareChartSpec(COMPARE_INPUT), 'vconcat', 4],
    ['efficiency', efficiencyChartSpec(EFFICIENCY_INPUT), 'hconcat', 2],
  ] as const

  for (const [name, spec, key, n] of cases) {
    it(`${name}: one top-level spec that compiles without warnings`, () => {
      const s = j(spec)
      expect(s.$schema).toMatch(/vega-lite\/v6/)
      expect(s.title.text).toContain(`runlog ${name}`)
      expect(s[key]).toHaveLength(n)
      expect(compileSpec(spec).warnings).toEqual([])
    })
  }

  it('draw a message when there is nothing to chart', () => {
    const empty = summaryChartSpec({summary: SUMMARY_INPUT.summary, series: {datasets: [], judge: [], cost: []}})
    const s = j(empty)
    expect(s.vconcat).toHaveLength(1)
    expect(s.vconcat[0].mark.type).toBe('text')
    expect(compileSpec(empty).warnings).toEqual([])
    const e = j(efficiencyChartSpec({run: EFFICIENCY_INPUT.run, efficiency: {best: null, steps: [], pareto: []}}))
    expect(e.hconcat[0].mark.type).toBe('text')
  })

  it('give headline figures from the results, unknown as a dash', () => {
    const h = Object.fromEntries(summaryHeadline(SUMMARY_INPUT.summary))
    expect(h.run).toBe(RUN_A.summary.run.name)
    expect(h['judge success rate']).toBe('97.0%')
    expect(h['accuracy gsm8k']).toMatch(/^val \d+\.\d% · train \d+\.\d%$/)
    expect(Object.fromEntries(efficiencyHeadline(EFFICIENCY_INPUT))['best step']).toBe(
      String(RUN_A.efficiency.best!.step),
    )
    expect(compareHeadline(COMPARE_INPUT).map(([k]) => k)).toEqual(compareRunLabels(COMPARE_INPUT))
    const unknown = summaryHeadline({...SUMMARY_INPUT.summary, cost: {...SUMMARY_INPUT.summary.cost, total_cost: null}})
    expect(Object.fromEntries(unknown)['total cost']).toBe('—')
  })
})
