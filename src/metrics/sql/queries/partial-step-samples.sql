-- Printed training samples of the steps the log was cut off inside: left out of the figures.
SELECT s.run_id, count(*) AS n, list(DISTINCT s.step ORDER BY s.step) AS steps FROM samples s
JOIN incomplete_steps i ON i.run_id = s.run_id AND i.step = s.step
WHERE s.split = 'train' AND s.origin <> 'wandb_table' GROUP BY s.run_id
