-- LLM-judge health. Candidates, most trusted first: per-sample judge outcomes (wandb Tables or stdout samples),
-- judge events parsed from stdout, the trainer's last printed judge summary (cumulative), the last logged judge/*
-- values.
CREATE OR REPLACE VIEW judge_candidates AS
SELECT run_id, 1 AS priority, 'samples' AS origin,
       count(judge_status)::BIGINT AS calls,
       count(*) FILTER (WHERE judge_status = 'success')::BIGINT AS success,
       count(*) FILTER (WHERE judge_status = 'parse_failure')::BIGINT AS parse_failures,
       count(*) FILTER (WHERE judge_status = 'api_failure')::BIGINT AS api_failures,
       count(*) FILTER (WHERE verdict = 'correct')::BIGINT AS correct,
       count(*) FILTER (WHERE verdict = 'incorrect')::BIGINT AS incorrect
FROM chosen_samples GROUP BY run_id HAVING count(judge_status) > 0
UNION ALL
SELECT run_id, 2, 'samples',
       count(*)::BIGINT,
       count(*) FILTER (WHERE status = 'success')::BIGINT,
       count(*) FILTER (WHERE status = 'parse_failure')::BIGINT,
       count(*) FILTER (WHERE status = 'api_failure')::BIGINT,
       count(*) FILTER (WHERE verdict = 'correct')::BIGINT,
       count(*) FILTER (WHERE verdict = 'incorrect')::BIGINT
FROM judge_events GROUP BY run_id HAVING count(*) > 0
UNION ALL
SELECT run_id, 3, 'collector_summary',
       arg_max(value, line) FILTER (WHERE key = 'total_calls')::BIGINT,
       arg_max(value, line) FILTER (WHERE key = 'success')::BIGINT,
       arg_max(value, line) FILTER (WHERE key = 'parse_failure')::BIGINT,
       arg_max(value, line) FILTER (WHERE key = 'api_failure')::BIGINT,
       arg_max(value, line) FILTER (WHERE key = 'correct')::BIGINT,
       arg_max(value, line) FILTER (WHERE key = 'incorrect')::BIGINT
FROM collector_summaries WHERE kind = 'judge' GROUP BY run_id HAVING count(*) FILTER (WHERE key = 'total_calls') > 0
UNION ALL
SELECT run_id, 4, 'logged',
       arg_max(value, step) FILTER (WHERE key = 'judge/total_calls')::BIGINT,
       round(arg_max(value, step) FILTER (WHERE key = 'judge/total_calls')
             * arg_max(value, step) FILTER (WHERE key = 'judge/success_rate'))::BIGINT,
       round(arg_max(value, step) FILTER (WHERE key = 'judge/total_calls')
             * arg_max(value, step) FILTER (WHERE key = 'judge/parse_failure_rate'))::BIGINT,
       round(arg_max(value, step) FILTER (WHERE key = 'judge/total_calls')
             * arg_max(value, step) FILTER (WHERE key = 'judge/api_failure_rate'))::BIGINT,
       arg_max(value, step) FILTER (WHERE key = 'judge/correct_count')::BIGINT,
       arg_max(value, step) FILTER (WHERE key = 'judge/incorrect_count')::BIGINT
FROM logged_values WHERE key LIKE 'judge/%' GROUP BY run_id
HAVING count(*) FILTER (WHERE key = 'judge/total_calls') > 0;

-- Materialized once: the judge figures, the counter checks and the diagnosis all read it.
-- The chosen candidate: the most trusted one, unless a less trusted cumulative count shows it saw fewer calls
-- (verdicts printed for only some samples): then the most complete of the rest.
CREATE OR REPLACE TABLE judge_figures AS
WITH ranked AS (
  SELECT c.*,
         max(calls) OVER (PARTITION BY run_id) AS most_calls
  FROM judge_candidates c
), pick AS (
  SELECT *, row_number() OVER (PARTITION BY run_id ORDER BY (calls < most_calls), priority) AS rn FROM ranked
)
SELECT run_id, calls, success, parse_failures, api_failures,
       success::DOUBLE / nullif(calls, 0) AS success_rate,
       parse_failures::DOUBLE / nullif(calls, 0) AS parse_failure_rate,
       api_failures::DOUBLE / nullif(calls, 0) AS api_failure_rate,
       correct, incorrect,
       correct::DOUBLE / nullif(correct + incorrect, 0) AS correct_ratio,
       origin,
       most_calls
FROM pick WHERE rn = 1;

-- Judge outcomes per step (for the charts and the windowed judge diagnosis), from per-sample outcomes, else stdout
-- judge events.
CREATE OR REPLACE VIEW step_judge AS
WITH src AS (
  SELECT run_id, step, judge_status AS status FROM chosen_samples WHERE judge_status IS NOT NULL
  UNION ALL
  SELECT e.run_id, e.step, e.status FROM judge_events e
  WHERE NOT EXISTS (SELECT 1 FROM chosen_samples s WHERE s.run_id = e.run_id AND s.judge_status IS NOT NULL)
)
SELECT run_id, step, count(*)::BIGINT AS calls,
       count(*) FILTER (WHERE status = 'success')::BIGINT AS success,
       count(*) FILTER (WHERE status = 'parse_failure')::BIGINT AS parse_failures,
       count(*) FILTER (WHERE status = 'api_failure')::BIGINT AS api_failures,
       count(*) FILTER (WHERE status = 'success')::DOUBLE / count(*) AS success_rate,
       count(*) FILTER (WHERE status = 'parse_failure')::DOUBLE / count(*) AS parse_failure_rate,
       count(*) FILTER (WHERE status = 'api_failure')::DOUBLE / count(*) AS api_failure_rate
FROM src WHERE step IS NOT NULL GROUP BY run_id, step;
