import {readFileSync, statSync} from 'node:fs'
import {Args, Flags} from '@oclif/core'
import {RunlogCommand} from '../cli/base-command.js'
import {diagnosisFlags, diagnosisOptions} from '../cli/diagnosis-flags.js'
import {reportFlags, wideFlag} from '../cli/report-flags.js'
import {openAnalysisWithProgress} from '../cli/open-analysis.js'
import {type CheckResult, checkRun} from '../check/evaluate.js'
import {type Rule, RuleError, defaultRules, parseRule, parseRulesFile} from '../check/rules.js'
import {Analysis} from '../analysis/analysis.js'
import {RunFollower} from '../ingest/run-follower.js'
import type {DiagnosisOptions} from '../metrics/types.js'
import {discoverRuns} from '../readers/run/discover-runs.js'
import {InputError} from '../errors.js'
import {renderCheck, renderStatusChange} from '../render/check-report.js'
import type {ReportFormat} from '../render/summary-report.js'
import {stdoutLayout} from '../render/terminal.js'

export default class Check extends RunlogCommand {
  static override summary = 'A gate for scripts, cron and CI: exit 0 when every rule holds for every run, 1 when not.'
  static override description = [
    'Each rule is FIGURE OP NUMBER, OP one of < <= > >= == !=, FIGURE one of judge.success_rate,',
    'judge.parse_failure_rate, judge.api_failure_rate (fractions), cost.total_cost, cost.avg_cost_per_sample (USD),',
    '<split>.accuracy, <split>.<dataset>.accuracy (percent, e.g. val.gsm8k.accuracy), checks.count, warnings.count,',
    'alerts.count. Without rules: judge.success_rate >= 0.8 (the --judge-threshold) and alerts.count == 0.',
    'Exit codes: 0 every rule passes, 1 a rule fails or its figure is unknown (--allow-unknown lets unknown pass),',
    '2 a malformed rule or flag.',
  ].join(' ')
  static override examples = [
    '<%= config.bin %> check wandb/latest-run',
    `<%= config.bin %> check wandb/latest-run --rule 'judge.success_rate >= 0.85' --rule 'val.gsm8k.accuracy > 60'`,
    '<%= config.bin %> check sweep/ --all --rules gate.rules --json',
    '<%= config.bin %> check wandb/latest-run --follow --rule "judge.api_failure_rate < 0.1"',
  ]
  static override enableJsonFlag = true
  static override strict = false
  static override args = {
    run: Args.string({
      description: 'run directory, .wandb file or trainer log (several may follow)',
      default: 'wandb/latest-run',
    }),
  }
  static override flags = {
    // Non-greedy: in `--rule 'a > 1' RUN`, RUN is a run, not a second rule.
    rule: Flags.string({description: 'a rule, FIGURE OP NUMBER (repeatable)', multiple: true, multipleNonGreedy: true}),
    rules: Flags.string({description: 'a file of rules, one per line (# starts a comment)'}),
    'allow-unknown': Flags.boolean({description: 'a rule whose figure the run does not have passes'}),
    all: Flags.boolean({
      description: 'RUN is a folder of runs (a sweep): check every run below it',
      exclusive: ['follow'],
    }),
    follow: Flags.boolean({
      char: 'f',
      description:
        'live run: re-check every --interval seconds and print each rule whose status changes, until the run ends',
    }),
    interval: Flags.integer({description: 'seconds between re-reads with --follow', default: 5, min: 1}),
    format: reportFlags.format,
    ...wideFlag,
    ...diagnosisFlags,
  }

  async run(): Promise<CheckResult[]> {
    const {argv, flags} = await this.parse(Check)
    const diagnosis = diagnosisOptions(flags)
    const rules = this.rulesOf(flags, diagnosis)
    const paths = (argv as string[]).length > 0 ? (argv as string[]) : ['wandb/latest-run']
    let results: CheckResult[]
    if (flags.follow) {
      if (paths.length > 1) throw new InputError(paths[1], '--follow checks one run')
      results = [await this.follow(paths[0], rules, flags, diagnosis)]
    } else {
      const dirs = flags.all ? paths.flatMap((p) => this.runsBelow(p)) : paths
      const analysis = await openAnalysisWithProgress(
        dirs.map((path) => ({path})),
        {json: this.jsonEnabled()},
      )
      try {
        const summaries = await analysis.summaries(diagnosis)
        results = summaries.map((s, i) => checkRun(s, dirs[i], rules, flags['allow-unknown']))
      } finally {
        analysis.close()
      }
      if (!this.jsonEnabled()) {
        const layout = stdoutLayout({wide: flags.wide})
        this.log(renderCheck(results, flags.format as ReportFormat, flags['allow-unknown'], layout))
      }
    }
    // The exit code is the verdict; the output (table or --json) is printed either way.
    if (!results.every((r) => r.passed)) process.exitCode = 1
    return results
  }

  /** The rules of --rule and --rules, else the default ones; a malformed rule ends the command with exit code 2. */
  private rulesOf(flags: {rule?: string[]; rules?: string}, diagnosis: DiagnosisOptions): Rule[] {
    try {
      const rules = (flags.rule ?? []).map((r) => parseRule(r))
      if (flags.rules !== undefined) {
        let text: string
        try {
          text = readFileSync(flags.rules, 'utf8')
        } catch (error) {
          const why = (error as NodeJS.ErrnoException).code ?? String(error)
          process.stderr.write(`runlog: ${flags.rules}: cannot read the rules file (${why})\n`)
          return this.exit(2)
        }
        const fromFile = parseRulesFile(text, flags.rules)
        if (fromFile.length === 0) {
          process.stderr.write(`runlog: ${flags.rules}: no rule in the rules file\n`)
          return this.exit(2)
        }
        rules.push(...fromFile)
      }
      return rules.length > 0 ? rules : defaultRules(diagnosis.judgeThreshold)
    } catch (error) {
      if (!(error instanceof RuleError)) throw error
      process.stderr.write(`runlog: ${error.message}\n`)
      return this.exit(2)
    }
  }

  private runsBelow(dir: string): string[] {
    const dirs = discoverRuns(dir)
    if (dirs.length === 0) throw new InputError(dir, 'no wandb runs below this folder')
    return dirs
  }

  /** `--follow`: re-check after every re-read that found new bytes; print the rules whose status changed. */
  private async follow(
    run: string,
    rules: Rule[],
    flags: {interval: number; 'allow-unknown': boolean},
    diagnosis: DiagnosisOptions,
  ): Promise<CheckResult> {
    if (!statSync(run, {throwIfNoEntry: false})?.isDirectory() && !run.endsWith('.wandb'))
      throw new InputError(run, '--follow reads a run directory or a .wandb file')
    const follower = new RunFollower(run)
    const statuses = new Map<string, string>()
    for (let first = true; ; first = false) {
      const newBytes = follower.update()
      if (first || newBytes > 0) {
        const analysis = await Analysis.open([{path: run, follower}])
        let result: CheckResult
        let state: string
        try {
          const summary = await analysis.summary(0, diagnosis)
          state = summary.run.state
          result = checkRun(summary, run, rules, flags['allow-unknown'])
        } finally {
          analysis.close()
        }
        const time = new Date().toISOString().slice(11, 19)
        const changed = result.rules.filter((x) => statuses.get(x.rule) !== x.status)
        for (const x of changed) {
          if (!this.jsonEnabled()) this.log(renderStatusChange(time, result.run, x, statuses.get(x.rule)))
          statuses.set(x.rule, x.status)
        }
        const ended = state !== 'running'
        if (this.jsonEnabled() && changed.length > 0 && !ended) process.stdout.write(`${JSON.stringify([result])}\n`)
        if (ended) {
          if (!this.jsonEnabled()) this.log(`${time} the run is ${state}: ${result.passed ? 'pass' : 'FAIL'}`)
          return result
        }
      }
      await new Promise((resolve) => setTimeout(resolve, flags.interval * 1000))
    }
  }
}
