-- Judge verdicts printed per run (the judge-coverage warning compares them with the judge calls).
SELECT run_id, count(*) AS n FROM judge_events GROUP BY run_id
