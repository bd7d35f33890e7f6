-- The trainer's own step of each wandb history record that logged one. wandb's `_step` counts log calls: the HF
-- Trainer's step 1 is `_step` 0 and, with logging_steps = 5, its step 15 is `_step` 2. The HF Trainer logs
-- `train/global_step` and Lightning `trainer/global_step` with every record; a record without one keeps its `_step`.
CREATE OR REPLACE TABLE trainer_steps AS
SELECT run_id, "row", max(value)::BIGINT AS step
FROM history
WHERE key IN ('train/global_step', 'trainer/global_step') AND isfinite(value) AND value = floor(value)
GROUP BY run_id, "row";

-- Every history value at its step on the trainer's axis (`trainer_steps`, else the record's step).
CREATE OR REPLACE VIEW history_on_trainer_steps AS
SELECT h.run_id, h."row", coalesce(t.step, h.step) AS step, h.key, h.value
FROM history h LEFT JOIN trainer_steps t ON t.run_id = h.run_id AND t."row" = h."row";
