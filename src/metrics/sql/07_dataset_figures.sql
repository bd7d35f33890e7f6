-- Per-dataset figures as reported: a run whose costs are all 0 has unknown per-sample costs, not zero ones.
-- Materialized once: the dataset figures, the split figures and the diagnosis all read it.
-- ci_low / ci_high: the 95 % Wilson interval of the accuracy, in percent (NULL when the count is unknown).
CREATE OR REPLACE TABLE dataset_figures AS
SELECT d.run_id, d.split, d.source, d.correct, d.count, d.accuracy,
       100 * wilson_low(d.correct, d.count) AS ci_low, 100 * wilson_high(d.correct, d.count) AS ci_high,
       d.avg_reward,
       CASE WHEN coalesce(z.all_zero, FALSE) THEN NULL ELSE d.avg_cost END AS avg_cost,
       d.origin
FROM dataset_figures_raw d LEFT JOIN cost_all_zero z ON z.run_id = d.run_id;

-- Overall accuracy per split: the datasets with known counts, summed (percentages are never averaged).
CREATE OR REPLACE VIEW split_figures AS
SELECT run_id, split, sum(correct)::BIGINT AS correct, sum(count)::BIGINT AS count,
       100.0 * sum(correct) / sum(count) AS accuracy,
       100 * wilson_low(sum(correct), sum(count)) AS ci_low, 100 * wilson_high(sum(correct), sum(count)) AS ci_high
FROM dataset_figures WHERE count IS NOT NULL AND correct IS NOT NULL
GROUP BY run_id, split HAVING sum(count) > 0;
