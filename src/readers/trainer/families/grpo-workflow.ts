// The GRPO workflow family lives in grpo-workflow/ (patterns, summary blocks, sample rows, settling); this path stays.
export {GRPO_FAMILY} from './grpo-workflow/patterns.js'
export {GrpoWorkflowFamily} from './grpo-workflow/family.js'
