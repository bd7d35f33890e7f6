-- Per-dataset figures as reported: a run whose costs are all 0 has unknown per-sample costs, not zero ones.
CREATE OR REPLACE VIEW dataset_figures AS
SELECT d.run_id, d.split, d.source, d.correct, d.count, d.accuracy, d.avg_reward,
       CASE WHEN coalesce(z.all_zero, FALSE) THEN NULL ELSE d.avg_cost END AS avg_cost,
       d.origin
FROM dataset_figures_raw d LEFT JOIN cost_all_zero z ON z.run_id = d.run_id;
