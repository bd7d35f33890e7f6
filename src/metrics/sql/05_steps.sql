-- Training figures per step: samples, correct answers and the USD spent on the step's training samples
-- (their executor and judge calls; validation is not part of a step's cost).
CREATE OR REPLACE VIEW step_training AS
WITH s AS (
  SELECT run_id, step, count(*)::BIGINT AS samples, count(*) FILTER (WHERE is_correct)::BIGINT AS correct,
         CASE WHEN count(cost) = count(*) THEN fsum(cost) END AS cost
  FROM chosen_samples WHERE split = 'train' GROUP BY run_id, step
), a AS (
  SELECT run_id, step, fsum(cost) AS cost FROM api_calls
  WHERE coalesce(split, 'train') = 'train' AND cost IS NOT NULL AND step IS NOT NULL GROUP BY run_id, step
), t AS (
  SELECT run_id, step, sum(correct)::BIGINT AS correct, sum(total)::BIGINT AS samples
  FROM step_tallies WHERE counted AND split = 'train' GROUP BY run_id, step
), joined AS (
  SELECT coalesce(s.run_id, t.run_id) AS run_id, coalesce(s.step, t.step) AS step,
         -- stdout may print fewer sample blocks than the step had: the printed tally is then the better count
         CASE WHEN t.samples IS NOT NULL AND (s.samples IS NULL OR s.samples <> t.samples)
              THEN t.samples ELSE s.samples END
           AS samples,
         CASE WHEN t.samples IS NOT NULL AND (s.samples IS NULL OR s.samples <> t.samples)
              THEN t.correct ELSE s.correct END
           AS correct,
         coalesce(s.cost, a.cost) AS cost
  FROM s FULL OUTER JOIN t ON s.run_id = t.run_id AND s.step = t.step
  LEFT JOIN a ON a.run_id = coalesce(s.run_id, t.run_id) AND a.step = coalesce(s.step, t.step)
)
SELECT j.run_id, j.step, j.samples, j.correct,
       100.0 * j.correct / nullif(j.samples, 0) AS accuracy,
       CASE WHEN coalesce(z.all_zero, FALSE) THEN NULL ELSE j.cost END AS cost
FROM joined j LEFT JOIN cost_all_zero z ON z.run_id = j.run_id;
