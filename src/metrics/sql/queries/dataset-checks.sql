-- Logged per-dataset values next to the values recomputed from the samples.
SELECT run_id, metric, step, logged, recomputed FROM dataset_checks
