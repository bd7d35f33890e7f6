import {ApiCallFamily} from './families/api-calls.js'
import type {LineFamily} from './families/family.js'
import {GrpoWorkflowFamily} from './families/grpo-workflow.js'
import {NoiseFamily} from './families/noise.js'
import {PlainKeyValueFamily} from './families/plain-kv.js'
import {ProgressPostfixFamily} from './families/progress-postfix.js'
import {RollJsonFamily} from './families/roll-json.js'
import {RunEndFamily} from './families/run-end.js'
import {TrlDictFamily} from './families/trl-dict.js'
import {VerlFamily} from './families/verl.js'

/** The families a parser tries, in order. A new trainer format is one more family here. */
export function defaultFamilies(): LineFamily[] {
  const noise = new NoiseFamily()
  return [
    noise,
    new ApiCallFamily(),
    new GrpoWorkflowFamily(),
    new VerlFamily(),
    new TrlDictFamily(),
    new RollJsonFamily(),
    new ProgressPostfixFamily(),
    new PlainKeyValueFamily(),
    new RunEndFamily(noise),
  ]
}
