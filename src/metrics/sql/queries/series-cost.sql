-- API cost per step of one run ({{run_id}}), and its running total.
SELECT step, cost, sum(cost) OVER (ORDER BY step) AS cumulative_cost
FROM step_training WHERE run_id = {{run_id}} ORDER BY step
