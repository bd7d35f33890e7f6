-- Checks: every logged per-dataset, judge and cost aggregate compared with the recomputation at the same step.
-- A difference beyond the logged value's own rounding is a check entry.
CREATE OR REPLACE MACRO beyond_rounding(logged, recomputed, txt) AS
  abs(logged - recomputed) > greatest(
    1e-9,
    1e-9 * abs(recomputed),
    CASE WHEN contains(txt, '.') AND NOT contains(lower(txt), 'e') AND length(split_part(txt, '.', 2)) <= 4
         THEN 0.5 * pow(10, -length(split_part(txt, '.', 2))) + 1e-12 ELSE 0 END);

CREATE OR REPLACE VIEW dataset_checks AS
WITH recomputed AS (
  SELECT run_id, step, split, source,
         100.0 * correct / nullif(count, 0) AS accuracy,
         count::DOUBLE AS count,
         CASE WHEN reward_n = count THEN reward_sum / count END AS avg_reward,
         CASE WHEN cost_n = count THEN cost_sum / count END AS avg_cost
  FROM step_datasets
), checked_keys AS (
  -- the figures checked: accuracy and count, and the average reward of training, the average cost of validation
  SELECT * FROM dataset_keys
  WHERE figure IN ('accuracy', 'count')
     OR (split = 'train' AND figure = 'avg_reward') OR (split = 'val' AND figure = 'avg_cost')
), logged AS MATERIALIZED (
  -- joined first (else the planner may join the few keys with every recomputed step first)
  SELECT l.run_id, l.step, l.key, l.value, l.value_json, k.split, k.source, k.figure
  FROM logged_texts l JOIN checked_keys k ON k.key = l.key
), pairs AS (
  SELECT l.run_id, l.step, l.key, l.value AS logged, l.value_json,
         CASE l.figure
           WHEN 'accuracy' THEN r.accuracy WHEN 'count' THEN r.count
           WHEN 'avg_reward' THEN r.avg_reward WHEN 'avg_cost' THEN r.avg_cost END AS recomputed
  FROM logged l
  JOIN recomputed r ON r.run_id = l.run_id AND r.step = l.step AND r.split = l.split AND r.source = l.source
)
SELECT run_id, key AS metric, step, logged, recomputed FROM pairs
WHERE recomputed IS NOT NULL AND beyond_rounding(logged, recomputed, value_json);

-- Cumulative judge and cost counters as of a training step s: training samples of steps ≤ s and validation samples
-- of steps < s (a validation pass runs after its step's training record is logged).
CREATE OR REPLACE VIEW cumulative_counters AS
WITH per_step AS (
  SELECT run_id, step, split,
         count(judge_status)::DOUBLE AS judge_calls_done,
         count(*) FILTER (WHERE judge_status = 'success')::DOUBLE AS success,
         count(*) FILTER (WHERE judge_status = 'parse_failure')::DOUBLE AS parse_failures,
         count(*) FILTER (WHERE judge_status = 'api_failure')::DOUBLE AS api_failures,
         count(*) FILTER (WHERE verdict = 'correct')::DOUBLE AS correct,
         count(*) FILTER (WHERE verdict = 'incorrect')::DOUBLE AS incorrect,
         fsum(cost) AS cost, sum(executor_calls)::DOUBLE AS executor_calls, sum(judge_calls)::DOUBLE AS judge_calls,
         count(*)::DOUBLE AS samples
  FROM chosen_samples GROUP BY run_id, step, split
), cum AS (
  SELECT run_id, step, split,
         sum(judge_calls_done) OVER w AS judge_calls_done, sum(success) OVER w AS success,
         sum(parse_failures) OVER w AS parse_failures, sum(api_failures) OVER w AS api_failures,
         sum(correct) OVER w AS correct, sum(incorrect) OVER w AS incorrect,
         sum(cost) OVER w AS cost, sum(executor_calls) OVER w AS executor_calls, sum(judge_calls) OVER w AS judge_calls,
         sum(samples) OVER w AS samples
  FROM per_step WINDOW w AS (PARTITION BY run_id, split ORDER BY step ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
), logged_steps AS (
  SELECT DISTINCT run_id, step FROM logged_texts WHERE key LIKE 'judge/%' OR key LIKE 'cost/%'
), tr AS (
  SELECT l.run_id, l.step, c.* EXCLUDE (run_id, step, split)
  FROM logged_steps l
  ASOF LEFT JOIN (SELECT * FROM cum WHERE split = 'train') c ON c.run_id = l.run_id AND l.step >= c.step
), va AS (
  SELECT l.run_id, l.step, c.* EXCLUDE (run_id, step, split)
  FROM logged_steps l
  ASOF LEFT JOIN (SELECT * FROM cum WHERE split = 'val') c ON c.run_id = l.run_id AND l.step > c.step
)
SELECT tr.run_id, tr.step,
       coalesce(tr.judge_calls_done, 0) + coalesce(va.judge_calls_done, 0) AS judge_evaluations,
       coalesce(tr.success, 0) + coalesce(va.success, 0) AS success,
       coalesce(tr.parse_failures, 0) + coalesce(va.parse_failures, 0) AS parse_failures,
       coalesce(tr.api_failures, 0) + coalesce(va.api_failures, 0) AS api_failures,
       coalesce(tr.correct, 0) + coalesce(va.correct, 0) AS correct,
       coalesce(tr.incorrect, 0) + coalesce(va.incorrect, 0) AS incorrect,
       coalesce(tr.cost, 0) + coalesce(va.cost, 0) AS cost,
       coalesce(tr.executor_calls, 0) + coalesce(va.executor_calls, 0) AS executor_calls,
       coalesce(tr.judge_calls, 0) + coalesce(va.judge_calls, 0) AS judge_calls,
       coalesce(tr.samples, 0) + coalesce(va.samples, 0) AS samples
FROM tr JOIN va ON va.run_id = tr.run_id AND va.step = tr.step;

-- Judge and cost counters are only checked when the per-sample evidence is complete (else every step would differ).
CREATE OR REPLACE VIEW counter_checks AS
WITH complete AS (
  SELECT j.run_id FROM judge_figures j WHERE j.origin = 'samples' AND j.calls = j.most_calls
), pairs AS (
  SELECT l.run_id, l.step, l.key, l.value AS logged, l.value_json,
         CASE l.key
           WHEN 'judge/total_calls' THEN c.judge_evaluations
           WHEN 'judge/success_rate' THEN c.success / nullif(c.judge_evaluations, 0)
           WHEN 'judge/parse_failure_rate' THEN c.parse_failures / nullif(c.judge_evaluations, 0)
           WHEN 'judge/api_failure_rate' THEN c.api_failures / nullif(c.judge_evaluations, 0)
           WHEN 'judge/correct_ratio' THEN c.correct / nullif(c.correct + c.incorrect, 0)
           WHEN 'judge/correct_count' THEN c.correct
           WHEN 'judge/incorrect_count' THEN c.incorrect
           WHEN 'cost/total_cost' THEN c.cost
           WHEN 'cost/executor_calls' THEN c.executor_calls
           WHEN 'cost/judge_calls' THEN c.judge_calls
           WHEN 'cost/total_samples' THEN c.samples
           WHEN 'cost/avg_cost_per_sample' THEN c.cost / nullif(c.samples, 0)
         END AS recomputed,
         CASE l.key
           WHEN 'cost/total_samples' THEN c.executor_calls + c.judge_calls
           WHEN 'cost/avg_cost_per_sample' THEN c.cost / nullif(c.executor_calls + c.judge_calls, 0)
         END AS per_api_call
  FROM logged_texts l
  JOIN cumulative_counters c ON c.run_id = l.run_id AND c.step = l.step
  WHERE l.run_id IN (SELECT run_id FROM complete) AND (l.key LIKE 'judge/%' OR l.key LIKE 'cost/%')
)
SELECT run_id, key AS metric, step, logged, recomputed,
       -- the trainer's cost/total_samples and cost/avg_cost_per_sample count API calls, not samples
       per_api_call IS NOT NULL AND NOT beyond_rounding(logged, per_api_call, value_json) AS counts_api_calls
FROM pairs
WHERE recomputed IS NOT NULL AND beyond_rounding(logged, recomputed, value_json);
