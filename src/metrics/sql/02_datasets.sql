-- Floating-point sums use fsum (Kahan): DuckDB adds in parallel, and a plain sum could then differ in its last bit
-- from one run to the next.
-- Per-dataset figures, per step, from the most trusted evidence at that step:
-- per-sample events when every sample of the (step, split) names its dataset, else the trainer's printed step tallies.
CREATE OR REPLACE VIEW step_dataset_origin AS
WITH s AS (
  SELECT run_id, step, split, count(*) FILTER (WHERE source IS NULL) AS unattributed
  FROM chosen_samples GROUP BY run_id, step, split
), t AS (
  SELECT DISTINCT run_id, step, split FROM step_tallies WHERE counted
)
SELECT coalesce(s.run_id, t.run_id) AS run_id, coalesce(s.step, t.step) AS step, coalesce(s.split, t.split) AS split,
       CASE WHEN s.step IS NOT NULL AND (s.unattributed = 0 OR t.step IS NULL) THEN 'samples' ELSE 'step_tallies' END
         AS origin
FROM s FULL OUTER JOIN t ON s.run_id = t.run_id AND s.step = t.step AND s.split = t.split;

-- Materialized once: the figures, the checks and the per-step series all read it.
CREATE OR REPLACE TABLE step_datasets AS
SELECT o.run_id, o.step, o.split, x.source,
       count(*)::BIGINT AS count,
       count(*) FILTER (WHERE x.is_correct)::BIGINT AS correct,
       fsum(x.reward) AS reward_sum, count(x.reward)::BIGINT AS reward_n,
       fsum(x.cost) AS cost_sum, count(x.cost)::BIGINT AS cost_n,
       'samples' AS origin
FROM step_dataset_origin o
JOIN chosen_samples x ON x.run_id = o.run_id AND x.step = o.step AND x.split = o.split
WHERE o.origin = 'samples' AND x.source IS NOT NULL
GROUP BY o.run_id, o.step, o.split, x.source
UNION ALL
SELECT o.run_id, o.step, o.split, t.source,
       sum(t.total)::BIGINT, sum(t.correct)::BIGINT,
       fsum(t.avg_score * t.total), sum(CASE WHEN t.avg_score IS NOT NULL THEN t.total ELSE 0 END)::BIGINT,
       NULL, 0::BIGINT,
       'step_tallies'
FROM step_dataset_origin o
JOIN step_tallies t ON t.run_id = o.run_id AND t.step = o.step AND t.split = o.split AND t.counted
WHERE o.origin = 'step_tallies'
GROUP BY o.run_id, o.step, o.split, t.source;

-- The logged keys of per-dataset figures (`dataset/<source>/<figure>`, `val/<source>/<figure>`), each split once into
-- its parts (not once per logged value: the history repeats each key at every step). Materialized once: in a view the
-- planner pushes the regular expressions down into the scan of every logged value, in each query that reads it.
CREATE OR REPLACE TABLE dataset_keys AS
SELECT key,
       CASE WHEN key LIKE 'dataset/%' THEN 'train' ELSE 'val' END AS split,
       regexp_extract(key, '^(?:dataset|val)/(.+)/(accuracy|count|avg_reward|avg_cost)$', 1) AS source,
       regexp_extract(key, '/(accuracy|count|avg_reward|avg_cost)$', 1) AS figure
FROM (SELECT DISTINCT key FROM logged_texts)
WHERE (key LIKE 'dataset/%' OR key LIKE 'val/%')
  AND regexp_matches(key, '^(dataset|val)/.+/(accuracy|count|avg_reward|avg_cost)$');

-- The trainer's own logged per-dataset aggregates, per step (the least trusted evidence).
CREATE OR REPLACE VIEW logged_step_datasets AS
WITH parts AS (
  SELECT v.run_id, v.step, k.split, k.source, k.figure, v.value
  FROM logged_values v JOIN dataset_keys k ON k.key = v.key
)
SELECT run_id, step, split, source,
       max(value) FILTER (WHERE figure = 'count') AS count,
       max(value) FILTER (WHERE figure = 'accuracy') AS accuracy,
       max(value) FILTER (WHERE figure = 'avg_reward') AS avg_reward,
       max(value) FILTER (WHERE figure = 'avg_cost') AS avg_cost
FROM parts GROUP BY run_id, step, split, source;

CREATE OR REPLACE VIEW dataset_figures_raw AS
WITH recomputed AS (
  SELECT run_id, split, source,
         sum(correct)::BIGINT AS correct, sum(count)::BIGINT AS count,
         CASE WHEN sum(reward_n) = sum(count) THEN fsum(reward_sum) / sum(count) END AS avg_reward,
         CASE WHEN sum(cost_n) = sum(count) THEN fsum(cost_sum) / sum(count) END AS avg_cost,
         CASE WHEN bool_and(origin = 'samples') THEN 'samples' ELSE 'step_tallies' END AS origin
  FROM step_datasets GROUP BY run_id, split, source
), logged AS (
  SELECT run_id, split, source,
         round(sum(accuracy * count / 100))::BIGINT AS correct, sum(count)::BIGINT AS count,
         fsum(avg_reward * count) / nullif(sum(count) FILTER (WHERE avg_reward IS NOT NULL), 0) AS avg_reward,
         fsum(avg_cost * count) / nullif(sum(count) FILTER (WHERE avg_cost IS NOT NULL), 0) AS avg_cost,
         'logged' AS origin
  FROM logged_step_datasets WHERE count IS NOT NULL AND accuracy IS NOT NULL
  GROUP BY run_id, split, source
), verl_points AS (
  -- verl's per-dataset validation, in every form it printed or logged: `val-core/<dataset>/{reward,score,acc}/mean@N`,
  -- `val-aux/<dataset>/…` and the older `val/test_score/<dataset>` (TinyZero, Logic-RL)
  SELECT run_id, step, key, value FROM step_metrics
  WHERE key LIKE 'val-core/%' OR key LIKE 'val-aux/%' OR key LIKE 'val/test\_score/%' ESCAPE '\'
     OR (family = 'roll-json' AND regexp_matches(key, '^val/.+/score/mean$'))
  UNION ALL
  SELECT run_id, step, key, value FROM logged_values
  WHERE key LIKE 'val-core/%' OR key LIKE 'val-aux/%' OR key LIKE 'val/test\_score/%' ESCAPE '\'
), verl_keys AS (
  SELECT run_id, key,
         coalesce(nullif(regexp_extract(key, '^val-(?:core|aux)/(.+)/(?:reward|score|acc)/mean@\d+$', 1), ''),
                  nullif(regexp_extract(key, '^val/test_score/(.+)$', 1), ''),
                  -- ROLL's `val/<dataset>/score/mean`
                  nullif(regexp_extract(key, '^val/(.+)/score/mean$', 1), '')) AS source,
         CASE WHEN regexp_matches(key, '/acc/mean@\d+$') THEN 'acc'
              WHEN regexp_matches(key, '/reward/mean@\d+$') THEN 'reward'
              WHEN key LIKE 'val/test\_score/%' ESCAPE '\' THEN 'test_score' ELSE 'score' END AS figure,
         CASE WHEN key LIKE 'val-core/%' THEN 0 ELSE 1 END AS tier,
         coalesce(TRY_CAST(nullif(regexp_extract(key, '@(\d+)$', 1), '') AS INTEGER), 0) AS n,
         -- the value at the last validation
         arg_max(value, step) AS value
  FROM verl_points WHERE value IS NOT NULL AND NOT isnan(value)
  GROUP BY run_id, key
), verl_val AS (
  -- a mean reward or score, with no counts (so no accuracy, unless verl printed one: `acc/mean@N`); val-core before
  -- val-aux, the mean over the most samples (largest N) first
  SELECT run_id, 'val' AS split, source,
         NULL::BIGINT AS correct, NULL::BIGINT AS count,
         100 * arg_min(value, tier * 1000000 - n) FILTER (WHERE figure = 'acc') AS accuracy,
         arg_min(value,
                 CASE figure WHEN 'reward' THEN 0 WHEN 'test_score' THEN 1 ELSE 2 END * 10000000 + tier * 1000000 - n)
           FILTER (WHERE figure <> 'acc') AS avg_reward,
         NULL::DOUBLE AS avg_cost, 'logged' AS origin
  FROM verl_keys WHERE source IS NOT NULL AND source NOT IN ('mean', 'all')
  GROUP BY run_id, source
), trl_eval AS (
  -- HF Trainer / TRL evaluation per dataset: `eval_<dataset>_runtime` names a dataset, its `eval_<dataset>_accuracy`
  -- and `eval_<dataset>_reward` (at the last evaluation) are its figures
  SELECT n.run_id, 'val' AS split, n.source,
         NULL::BIGINT AS correct, NULL::BIGINT AS count,
         arg_max(CASE WHEN m.value <= 1 THEN 100 * m.value ELSE m.value END, m.step)
           FILTER (WHERE m.key = 'eval_' || n.source || '_accuracy') AS accuracy,
         arg_max(m.value, m.step) FILTER (WHERE m.key = 'eval_' || n.source || '_reward') AS avg_reward,
         NULL::DOUBLE AS avg_cost, 'logged' AS origin
  FROM (SELECT DISTINCT run_id, regexp_extract(key, '^eval_(.+)_runtime$', 1) AS source
        FROM step_metrics WHERE family = 'trl-dict' AND regexp_matches(key, '^eval_.+_runtime$')) n
  JOIN step_metrics m ON m.run_id = n.run_id AND m.family = 'trl-dict'
       AND m.key IN ('eval_' || n.source || '_accuracy', 'eval_' || n.source || '_reward')
  GROUP BY n.run_id, n.source
), stdout_val AS (
  SELECT * FROM verl_val WHERE accuracy IS NOT NULL OR avg_reward IS NOT NULL
  UNION ALL
  SELECT * FROM trl_eval WHERE accuracy IS NOT NULL OR avg_reward IS NOT NULL
), chosen AS (
  SELECT *, NULL::DOUBLE AS accuracy FROM recomputed
  UNION ALL
  SELECT l.*, NULL::DOUBLE AS accuracy FROM logged l
  WHERE NOT EXISTS (SELECT 1 FROM recomputed r WHERE r.run_id = l.run_id AND r.split = l.split)
  UNION ALL
  SELECT v.run_id, v.split, v.source, v.correct, v.count, v.avg_reward, v.avg_cost, v.origin, v.accuracy
  FROM stdout_val v
  WHERE NOT EXISTS (SELECT 1 FROM recomputed r WHERE r.run_id = v.run_id AND r.split = v.split)
    AND NOT EXISTS (SELECT 1 FROM logged l WHERE l.run_id = v.run_id AND l.split = v.split)
)
SELECT run_id, split, source, correct, count,
       CASE WHEN count > 0 THEN 100.0 * correct / count ELSE accuracy END AS accuracy,
       avg_reward, avg_cost, origin
FROM chosen;
