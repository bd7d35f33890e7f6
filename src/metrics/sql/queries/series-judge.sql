-- The judge's health per step of one run ({{run_id}}).
SELECT step, calls, success_rate, parse_failure_rate, api_failure_rate
FROM step_judge WHERE run_id = {{run_id}} ORDER BY step
