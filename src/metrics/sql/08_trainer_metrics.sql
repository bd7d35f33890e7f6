-- The per-step metrics a run logged: one row per key with its first and last value, range and first and last step.
-- From the numeric keys of the wandb history (wandb's own _step/_runtime/_timestamp left out), on the trainer's step
-- axis, and from the stdout families' step_metrics.
-- A metric both printed in stdout and in the wandb history is one row, from the history (origin `wandb`): its values
-- are the logged numbers at full precision (the HF Trainer prints them rounded to 4 digits) and its steps are the
-- trainer's, not inferred from progress bars. A printed key is the history's key itself (verl, ROLL) or the name HF's
-- WandbCallback logs it under (`eval_x` → `eval/x`, `test_x` → `test/x`, `x` → `train/x`; OpenRLHF's logger also
-- prefixes `train/`).
CREATE OR REPLACE VIEW trainer_metrics AS
WITH logged AS (
  SELECT run_id, step, key, arg_max(value, "row") AS value
  FROM history_on_trainer_steps
  WHERE value IS NOT NULL AND NOT isnan(value) AND key NOT LIKE '\_%' ESCAPE '\'
  GROUP BY run_id, step, key
), logged_keys AS (
  SELECT DISTINCT run_id, key FROM logged
), printed AS (
  -- a key printed twice at one step: its last value, as in a wandb record
  SELECT run_id, step, key, arg_max(value, line) AS value, family,
         CASE WHEN starts_with(key, 'eval_') THEN 'eval/' || key[6:]
              WHEN starts_with(key, 'test_') THEN 'test/' || key[6:]
              ELSE 'train/' || key END AS wandb_name
  FROM step_metrics WHERE value IS NOT NULL AND NOT isnan(value)
  GROUP BY run_id, step, key, family
), points AS (
  SELECT run_id, step, key, value, 'wandb' AS origin FROM logged
  UNION ALL
  SELECT p.run_id, p.step, p.key, p.value, p.family FROM printed p
  WHERE NOT EXISTS (SELECT 1 FROM logged_keys l WHERE l.run_id = p.run_id AND l.key IN (p.key, p.wandb_name))
), per_origin AS (
  SELECT run_id, key, origin,
         count(*)::BIGINT AS points,
         min(step)::BIGINT AS first_step,
         max(step)::BIGINT AS last_step,
         arg_min(value, step) AS first,
         arg_max(value, step) AS last,
         min(value) AS min, max(value) AS max
  FROM points GROUP BY run_id, key, origin
)
-- One row per key: the history's, else the stdout family that printed it most often.
SELECT * FROM per_origin
QUALIFY row_number() OVER (PARTITION BY run_id, key ORDER BY origin = 'wandb' DESC, points DESC, origin) = 1;
