-- Per-sample events that name no dataset (failed executions print no source=), per run.
SELECT run_id, count(*) FILTER (WHERE source IS NULL) AS n, count(*) AS total FROM chosen_samples GROUP BY run_id
