-- The order of the per-step metrics (an ORDER BY term): validation, then rewards, accuracy and scores, then losses,
-- then the rest.
CASE WHEN regexp_matches(key, '(^|[/_-])(val|eval|validation|test)([/_-]|$)') THEN 0
     WHEN regexp_matches(key, 'reward|acc|score') THEN 1
     WHEN regexp_matches(key, 'loss') THEN 2 ELSE 3 END
