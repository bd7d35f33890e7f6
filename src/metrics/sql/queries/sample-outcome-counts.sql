-- Samples with a judge status per run (the judge-coverage warning compares them with the judge calls).
SELECT run_id, count(judge_status) AS n FROM chosen_samples GROUP BY run_id
