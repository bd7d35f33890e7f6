/** The shape of an `expected.json` (the GRPO sample's, and the benchmark generator's): the true figures of a run. */
export interface ExpectedDataset {
  correct: number
  count: number
  /** Percent. */
  accuracy: number
  avg_reward: number
  avg_cost: number
}

export interface ExpectedStep {
  step: number
  samples: number
  correct: number
  accuracy: number
  cost: number
  cost_per_correct: number
}

export interface ExpectedRun {
  train: Record<string, ExpectedDataset>
  val: Record<string, ExpectedDataset>
  judge: Record<string, number>
  cost: Record<string, number>
  efficiency: {best_step: number; best_cost_per_correct: number}
  steps: ExpectedStep[]
  mismatches: Array<{metric: string; step: number; logged: number; recomputed: number}>
  last_step: number
  state: string
}
