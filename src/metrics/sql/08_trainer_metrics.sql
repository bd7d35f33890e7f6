-- The per-step metrics a run logged, for runs of trainers whose per-sample events runlog does not know (verl, TRL,
-- ROLL, HF Trainer): one row per key with its first and last value, range and last step. From the stdout families'
-- step_metrics and from the numeric keys of the wandb history (wandb's own _step/_runtime/_timestamp left out).
CREATE OR REPLACE VIEW trainer_metrics AS
WITH points AS (
  SELECT run_id, step, key, value, family AS origin FROM step_metrics WHERE value IS NOT NULL AND NOT isnan(value)
  UNION ALL
  SELECT run_id, step, key, value, 'wandb' FROM logged_values WHERE key NOT LIKE '\_%' ESCAPE '\'
)
SELECT run_id, key, origin,
       count(*)::BIGINT AS points,
       arg_min(value, step) AS first,
       arg_max(value, step) AS last,
       min(value) AS min, max(value) AS max,
       max(step)::BIGINT AS last_step
FROM points GROUP BY run_id, key, origin;
