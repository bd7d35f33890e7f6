-- Logged counters next to the counts recomputed from the events; some count API calls rather than samples.
SELECT run_id, metric, step, logged, recomputed, counts_api_calls FROM counter_checks
