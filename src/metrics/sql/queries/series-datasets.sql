-- Accuracy per step, split and dataset of one run ({{run_id}}), with its 95 % Wilson interval.
SELECT step, split, source, correct, count, 100.0 * correct / count AS accuracy,
       100 * wilson_low(correct, count) AS ci_low, 100 * wilson_high(correct, count) AS ci_high
FROM step_datasets WHERE run_id = {{run_id}} AND count > 0 ORDER BY split, source, step
