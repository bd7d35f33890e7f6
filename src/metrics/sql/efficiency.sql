-- Cost efficiency per training step: USD per correct answer = cost(step) / correct(step), optionally smoothed over
-- a window of N steps ending at the step (sums of cost over sums of correct). {{window}} is a validated integer ≥ 1.
WITH w AS (
  SELECT run_id, step, samples, correct, accuracy, cost,
         sum(cost) OVER win AS window_cost,
         sum(correct) OVER win AS window_correct,
         count(cost) OVER win AS window_costed,
         count(*) OVER win AS window_steps,
         sum(cost) OVER (PARTITION BY run_id ORDER BY step ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
           AS cumulative_cost,
         100.0 * sum(correct) OVER (PARTITION BY run_id ORDER BY step ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
           / nullif(sum(samples) OVER (PARTITION BY run_id ORDER BY step
                                       ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 0)
           AS cumulative_accuracy
  FROM step_training
  WINDOW win AS (PARTITION BY run_id ORDER BY step ROWS BETWEEN {{window}} - 1 PRECEDING AND CURRENT ROW)
)
SELECT run_id, step, cost, correct, samples, accuracy,
       CASE WHEN window_correct > 0 AND window_costed = window_steps THEN window_cost / window_correct END
         AS cost_per_correct,
       cumulative_cost, cumulative_accuracy
FROM w
ORDER BY run_id, step
