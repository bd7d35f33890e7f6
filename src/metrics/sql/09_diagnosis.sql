-- Diagnosis: what the figures say a user should act on. Every row: run_id, kind, severity ('alert' or 'notice'),
-- split, source, from_step, to_step, value, threshold, message. `diagnosis(judge_threshold, win)` is the union of the
-- kinds; the judge kinds take the threshold (a fraction) and the window (a number of steps) as parameters.
-- Noise is never a finding: a windowed judge rate, a gap or a trend counts only when its 95 % Wilson interval says so.

-- The failure kind that dominated a set of judge calls, and what to look at for it.
CREATE OR REPLACE MACRO judge_failure_advice(parse_failures, api_failures) AS
  CASE WHEN api_failures > parse_failures
         THEN format('mostly API failures ({} API, {} parse): '
                     || 'check the judge''s API configuration (endpoint, key, rate limits)',
                     api_failures, parse_failures)
       WHEN parse_failures > api_failures
         THEN format('mostly parse failures ({} parse, {} API): '
                     || 'check the judge''s prompt and the answer format it asks for', parse_failures, api_failures)
       ELSE format('parse and API failures alike ({} each): '
                   || 'check the judge''s API configuration and its prompt', parse_failures) END;

-- judge_health: the run's judge success rate is below the threshold.
CREATE OR REPLACE MACRO diagnosis_judge_health(judge_threshold) AS TABLE
SELECT run_id, 'judge_health' AS kind, 'alert' AS severity, NULL::VARCHAR AS split, NULL::VARCHAR AS source,
       NULL::BIGINT AS from_step, NULL::BIGINT AS to_step, success_rate::DOUBLE AS value,
       judge_threshold::DOUBLE AS threshold,
       format('judge success rate {:.1f} % ({} of {} calls) is below {:.0f} %; {}',
              100 * success_rate, success, calls, 100 * judge_threshold,
              judge_failure_advice(parse_failures, api_failures)) AS message
FROM judge_figures
WHERE calls > 0 AND success_rate < judge_threshold;

-- judge_window: the judge success rate over the last `win` steps that had judge calls (Σ successes / Σ calls; a step
-- without judge calls neither counts nor breaks a window) is low when it is below the threshold. Each maximal stretch
-- of steps covered by low windows is a candidate, trimmed to its first and last step whose own rate is below the
-- threshold beyond chance (its Wilson upper bound; else its rate), so a healthy step that a low window includes is not
-- part of it. A candidate is an alert when all calls of the trimmed stretch, pooled, are below the threshold beyond
-- chance: their Wilson upper bound, Bonferroni-corrected over the run's windows (a healthy judge dips below the
-- threshold in some of its many windows by chance). value = the lowest windowed rate in the stretch.
CREATE OR REPLACE MACRO diagnosis_judge_window(judge_threshold, win) AS TABLE
WITH s AS (
  SELECT run_id, step, calls, success, parse_failures, api_failures,
         row_number() OVER (PARTITION BY run_id ORDER BY step) AS rn, count(*) OVER (PARTITION BY run_id) AS windows
  FROM step_judge WHERE calls > 0
), w AS (
  SELECT *, sum(success) OVER last_n AS w_success, sum(calls) OVER last_n AS w_calls
  FROM s WINDOW last_n AS (PARTITION BY run_id ORDER BY rn ROWS BETWEEN win - 1 PRECEDING AND CURRENT ROW)
), low AS (
  SELECT *, w_success::DOUBLE / w_calls AS w_rate, w_success::DOUBLE / w_calls < judge_threshold AS is_low
  FROM w
), member AS (
  -- a step belongs to a stretch when one of the low windows covers it (one ending at this step or a later one)
  SELECT *, bool_or(is_low) OVER next_n AS covered
  FROM low WINDOW next_n AS (PARTITION BY run_id ORDER BY rn ROWS BETWEEN CURRENT ROW AND win - 1 FOLLOWING)
), islands AS (
  SELECT *, rn - row_number() OVER (PARTITION BY run_id ORDER BY rn) AS island FROM member WHERE covered
), stretch AS (
  SELECT run_id, island,
         coalesce(min(step) FILTER (WHERE wilson_high(success, calls) < judge_threshold),
                  min(step) FILTER (WHERE success::DOUBLE / calls < judge_threshold)) AS from_step,
         coalesce(max(step) FILTER (WHERE wilson_high(success, calls) < judge_threshold),
                  max(step) FILTER (WHERE success::DOUBLE / calls < judge_threshold)) AS to_step,
         min(w_rate) FILTER (WHERE is_low) AS value, any_value(windows) AS windows
  FROM islands GROUP BY run_id, island
), counted AS (
  SELECT t.run_id, t.from_step, t.to_step, t.value, t.windows,
         sum(i.calls)::BIGINT AS calls, sum(i.success)::BIGINT AS success,
         sum(i.parse_failures)::BIGINT AS parse_failures, sum(i.api_failures)::BIGINT AS api_failures
  FROM stretch t
  JOIN islands i ON i.run_id = t.run_id AND i.island = t.island AND i.step BETWEEN t.from_step AND t.to_step
  GROUP BY t.run_id, t.from_step, t.to_step, t.value, t.windows
)
SELECT run_id, 'judge_window' AS kind, 'alert' AS severity, NULL::VARCHAR AS split, NULL::VARCHAR AS source,
       from_step::BIGINT AS from_step, to_step::BIGINT AS to_step, value::DOUBLE AS value,
       judge_threshold::DOUBLE AS threshold,
       format('judge success rate over {}-step windows fell to {:.1f} % (below {:.0f} %) from step {} to step {}: '
              || '{} of {} calls failed, {}',
              win, 100 * value, 100 * judge_threshold, from_step, to_step, calls - success, calls,
              judge_failure_advice(parse_failures, api_failures)) AS message
FROM counted
WHERE wilson_high_z(success, calls, z_upper_tail(0.025 / windows)) < judge_threshold;

-- dataset_gap: within a split, the weakest dataset trails the strongest and their 95 % intervals do not overlap.
-- value = the gap in percentage points.
CREATE OR REPLACE VIEW diagnosis_dataset_gap AS
WITH d AS (
  SELECT *,
         row_number() OVER (PARTITION BY run_id, split ORDER BY accuracy, count DESC, source) AS weakest,
         row_number() OVER (PARTITION BY run_id, split ORDER BY accuracy DESC, count DESC, source) AS strongest,
         count(*) OVER (PARTITION BY run_id, split) AS datasets
  FROM dataset_figures WHERE ci_low IS NOT NULL
)
SELECT w.run_id, 'dataset_gap' AS kind, 'notice' AS severity, w.split::VARCHAR AS split, w.source::VARCHAR AS source,
       NULL::BIGINT AS from_step, NULL::BIGINT AS to_step, (s.accuracy - w.accuracy)::DOUBLE AS value,
       NULL::DOUBLE AS threshold,
       format('{}: {} is the weakest dataset, {:.1f} pp behind {} ({:.1f} % of {} vs {:.1f} % of {}; '
              || '95 % intervals {:.1f}–{:.1f} and {:.1f}–{:.1f} do not overlap)',
              w.split, w.source, s.accuracy - w.accuracy, s.source, w.accuracy, w.count, s.accuracy, s.count,
              w.ci_low, w.ci_high, s.ci_low, s.ci_high) AS message
FROM d w JOIN d s ON s.run_id = w.run_id AND s.split = w.split AND s.strongest = 1
WHERE w.weakest = 1 AND w.datasets >= 2 AND w.ci_high < s.ci_low;

-- dataset_trend: a dataset's training accuracy in the last quarter of the training steps against the first quarter
-- (alert when it fell, notice when it rose), and a validation accuracy that fell from its best evaluation to its latest
-- one (alert) — each only when the two 95 % intervals do not overlap. value = the change in percentage points.
CREATE OR REPLACE VIEW diagnosis_dataset_trend AS
WITH span AS (
  SELECT run_id, min(step) AS first_step, max(step) AS last_step, (max(step) - min(step) + 1) / 4.0 AS quarter
  FROM step_datasets WHERE split = 'train' GROUP BY run_id HAVING count(DISTINCT step) >= 4
), parts AS (
  SELECT d.run_id, d.source, any_value(p.first_step) AS first_step, any_value(p.last_step) AS last_step,
         sum(d.correct) FILTER (WHERE d.step < p.first_step + p.quarter) AS c1,
         sum(d.count) FILTER (WHERE d.step < p.first_step + p.quarter) AS n1,
         sum(d.correct) FILTER (WHERE d.step > p.last_step - p.quarter) AS c2,
         sum(d.count) FILTER (WHERE d.step > p.last_step - p.quarter) AS n2
  FROM step_datasets d JOIN span p ON p.run_id = d.run_id
  WHERE d.split = 'train' GROUP BY d.run_id, d.source
), train AS (
  SELECT *, 100.0 * c1 / n1 AS a1, 100.0 * c2 / n2 AS a2,
         100 * wilson_low(c1, n1) AS l1, 100 * wilson_high(c1, n1) AS h1,
         100 * wilson_low(c2, n2) AS l2, 100 * wilson_high(c2, n2) AS h2
  FROM parts WHERE n1 > 0 AND n2 > 0
), val AS (
  SELECT run_id, source, step, correct, count, 100.0 * correct / count AS acc,
         100 * wilson_low(correct, count) AS lo, 100 * wilson_high(correct, count) AS hi,
         row_number() OVER (PARTITION BY run_id, source ORDER BY correct::DOUBLE / count DESC, step) AS best,
         row_number() OVER (PARTITION BY run_id, source ORDER BY step DESC) AS latest
  FROM step_datasets WHERE split = 'val' AND count > 0
)
SELECT run_id, 'dataset_trend' AS kind, CASE WHEN a2 < a1 THEN 'alert' ELSE 'notice' END AS severity,
       'train'::VARCHAR AS split, source::VARCHAR AS source,
       first_step::BIGINT AS from_step, last_step::BIGINT AS to_step,
       (a2 - a1)::DOUBLE AS value, NULL::DOUBLE AS threshold,
       format('train {}: accuracy {} from {:.1f} % ({}/{}) in the first quarter of the steps to {:.1f} % ({}/{}) '
              || 'in the last (95 % intervals {:.1f}–{:.1f} and {:.1f}–{:.1f} do not overlap)',
              source, CASE WHEN a2 < a1 THEN 'fell' ELSE 'rose' END, a1, c1, n1, a2, c2, n2, l1, h1, l2, h2) AS message
FROM train WHERE h2 < l1 OR h1 < l2
UNION ALL
SELECT b.run_id, 'dataset_trend', 'alert', 'val', b.source, b.step::BIGINT, l.step::BIGINT,
       (l.acc - b.acc)::DOUBLE, NULL::DOUBLE,
       format('val {}: accuracy fell from its best, {:.1f} % ({}/{}) at step {}, to {:.1f} % ({}/{}) at step {}, '
              || 'the latest evaluation (95 % intervals {:.1f}–{:.1f} and {:.1f}–{:.1f} do not overlap)',
              b.source, b.acc, b.correct, b.count, b.step, l.acc, l.correct, l.count, l.step, b.lo, b.hi, l.lo, l.hi)
FROM val b JOIN val l ON l.run_id = b.run_id AND l.source = b.source AND l.latest = 1
WHERE b.best = 1 AND b.step < l.step AND l.hi < b.lo;

-- Every finding, alerts first.
CREATE OR REPLACE MACRO diagnosis(judge_threshold, win) AS TABLE
SELECT * FROM diagnosis_judge_health(judge_threshold)
UNION ALL SELECT * FROM diagnosis_judge_window(judge_threshold, win)
UNION ALL SELECT * FROM diagnosis_dataset_gap
UNION ALL SELECT * FROM diagnosis_dataset_trend;
