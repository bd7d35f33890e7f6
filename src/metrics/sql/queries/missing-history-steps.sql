-- Steps printed in stdout that the history lacks, on the trainer's own step axis (`trainer_steps`). A history step
-- that is NULL makes none of them missing, as `step NOT IN (…)` would.
WITH printed AS (SELECT DISTINCT run_id, step FROM steps WHERE step IS NOT NULL),
     logged AS (SELECT DISTINCT run_id, step FROM history_on_trainer_steps),
     per_run AS (SELECT run_id, count(*) AS logged_steps, bool_or(step IS NULL) AS null_step
                 FROM logged GROUP BY run_id)
SELECT p.run_id, any_value(r.logged_steps) AS logged_steps,
       list(p.step ORDER BY p.step) FILTER (WHERE l.step IS NULL AND NOT coalesce(r.null_step, FALSE)) AS missing
FROM printed p LEFT JOIN logged l ON l.run_id = p.run_id AND l.step = p.step
LEFT JOIN per_run r ON r.run_id = p.run_id
GROUP BY p.run_id
