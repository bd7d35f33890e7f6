-- API cost. Candidates, most trusted first: per-sample costs and call counts (wandb Tables), the API calls parsed
-- from stdout (with their per-call Cost lines), the trainer's last printed cost summary, the last logged cost/* values.
CREATE OR REPLACE VIEW cost_candidates AS
SELECT run_id, 1 AS priority, 'samples' AS origin,
       fsum(cost) AS total_cost,
       count(*)::BIGINT AS samples,
       sum(executor_calls)::BIGINT AS executor_calls,
       sum(judge_calls)::BIGINT AS judge_calls,
       count(cost) = count(*) AS complete
FROM chosen_samples GROUP BY run_id
HAVING count(*) FILTER (WHERE origin = 'wandb_table') > 0
UNION ALL
SELECT a.run_id, 2, 'samples',
       CASE WHEN count(a.cost) > 0 THEN fsum(a.cost) END,
       (SELECT count(*) FROM chosen_samples s WHERE s.run_id = a.run_id)::BIGINT,
       count(*) FILTER (WHERE a.role = 'executor')::BIGINT,
       count(*) FILTER (WHERE a.role = 'judge')::BIGINT,
       TRUE
FROM api_calls a GROUP BY a.run_id
UNION ALL
SELECT run_id, 3, 'collector_summary',
       arg_max(value, line) FILTER (WHERE key = 'total_cost'),
       arg_max(value, line) FILTER (WHERE key = 'samples')::BIGINT,
       arg_max(value, line) FILTER (WHERE key = 'executor_calls')::BIGINT,
       arg_max(value, line) FILTER (WHERE key = 'judge_calls')::BIGINT,
       TRUE
FROM collector_summaries WHERE kind = 'cost' GROUP BY run_id
UNION ALL
SELECT run_id, 4, 'logged',
       arg_max(value, step) FILTER (WHERE key = 'cost/total_cost'),
       NULL::BIGINT,
       arg_max(value, step) FILTER (WHERE key = 'cost/executor_calls')::BIGINT,
       arg_max(value, step) FILTER (WHERE key = 'cost/judge_calls')::BIGINT,
       TRUE
FROM logged_values WHERE key LIKE 'cost/%' GROUP BY run_id
HAVING count(*) FILTER (WHERE key = 'cost/total_cost') > 0;

-- Materialized once: the cost, dataset and per-step figures all read it.
-- Whether every cost the run reported is 0 (then cost figures are unknown, not zero): per-sample costs,
-- per-call costs and the trainer's own totals all say 0.
CREATE OR REPLACE TABLE cost_all_zero AS
WITH reported AS (
  SELECT run_id, cost FROM samples WHERE cost IS NOT NULL
  UNION ALL SELECT run_id, reported_cost FROM samples WHERE reported_cost IS NOT NULL
  UNION ALL SELECT run_id, cost FROM api_calls WHERE cost IS NOT NULL
  UNION ALL SELECT run_id, total_cost FROM cost_candidates WHERE total_cost IS NOT NULL
)
SELECT run_id, bool_and(cost = 0) AS all_zero FROM reported GROUP BY run_id;

CREATE OR REPLACE VIEW cost_figures AS
WITH pick AS (
  SELECT *, row_number() OVER (PARTITION BY run_id ORDER BY priority) AS rn FROM cost_candidates
)
SELECT p.run_id,
       CASE WHEN z.all_zero OR NOT p.complete THEN NULL ELSE p.total_cost END AS total_cost,
       p.samples,
       CASE WHEN z.all_zero OR NOT p.complete THEN NULL ELSE p.total_cost / nullif(p.samples, 0) END
         AS avg_cost_per_sample,
       p.executor_calls, p.judge_calls,
       p.executor_calls + p.judge_calls AS api_calls,
       p.origin,
       coalesce(z.all_zero, FALSE) AS all_zero
FROM pick p LEFT JOIN cost_all_zero z ON z.run_id = p.run_id
WHERE p.rn = 1;
