-- Evidence views shared by every metric. Tables loaded per run (all carry run_id):
--   history(run_id, row, step, key, value, value_json, runtime, timestamp)          the wandb log
--   samples(run_id, step, split, source, correctness, reward, cost, executor_calls, judge_calls, judge_status,
--           verdict, origin, …)
--   judge_events(run_id, step, split, status, verdict, …)   api_calls(run_id, step, split, role, tokens, cost, …)
--   step_tallies(run_id, step, split, source, correct, total, avg_score, kind)
--   collector_summaries(run_id, step, kind, key, value)

-- Training steps the stdout log was cut off inside (the run was killed mid-step): their samples are a partial batch.
CREATE OR REPLACE VIEW incomplete_steps AS
SELECT DISTINCT run_id, step FROM steps WHERE NOT complete AND step IS NOT NULL;

-- Per-sample events, most trusted first: a (step, split) covered by a wandb Table uses the Table's rows,
-- otherwise the rows parsed from stdout (leaving out the partial batch of a step the log was cut off inside).
-- The same sample is never counted twice.
-- Materialized once: every figure reads it, several times. The look-ups are uncorrelated `IN`s of non-null keys (a
-- correlated NOT EXISTS made DuckDB join twice through the distinct keys of every sample: twice the time).
CREATE OR REPLACE TABLE chosen_samples AS
WITH table_steps AS (
  SELECT DISTINCT (run_id, step, split) AS id FROM samples
  WHERE origin = 'wandb_table' AND run_id IS NOT NULL AND step IS NOT NULL AND split IS NOT NULL
)
SELECT s.*, (s.correctness >= {{correct_threshold}}) AS is_correct
FROM samples s
WHERE s.origin = 'wandb_table'
   OR (NOT coalesce(s.run_id IS NOT NULL AND s.step IS NOT NULL AND s.split IS NOT NULL
                    AND (s.run_id, s.step, s.split) IN (SELECT id FROM table_steps), FALSE)
       AND NOT (s.split = 'train' AND coalesce(s.run_id IS NOT NULL AND s.step IS NOT NULL
                    AND (s.run_id, s.step) IN (SELECT (run_id, step) FROM incomplete_steps WHERE run_id IS NOT NULL),
                    FALSE)));

-- The value each history key had at each step: when a step has several records, later values win (as in wandb),
-- with the JSON text it was logged as (the checks read its rounding). Materialized once.
CREATE OR REPLACE TABLE logged_texts AS
SELECT run_id, step, key, arg_max(value, "row") AS value, arg_max(value_json, "row") AS value_json
FROM history WHERE value IS NOT NULL AND NOT isnan(value)
GROUP BY run_id, step, key;

CREATE OR REPLACE VIEW logged_values AS SELECT run_id, step, key, value FROM logged_texts;
