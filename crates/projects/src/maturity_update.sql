-- The maturity formula of projects::maturity as one statement (the benchmark's limit).
-- points(spec) = (maturity_score if > 0, else 10 draft / 25 approved / 35 implemented / 0 deprecated)
--                * coalesce(confidence, 1)
-- category     = least(100, sum of points of its current specifications), rounded to 4 places
-- project      = the mean of the 10 category scores, rounded to 4 places
UPDATE projects p
SET maturity_score = s.score
FROM (
    SELECT c.project_id, round((sum(c.score) / 10)::numeric, 4)::float8 AS score
    FROM (
        SELECT project_id, category,
               round(least(100, sum(
                   CASE WHEN maturity_score > 0 THEN maturity_score
                        ELSE CASE status WHEN 'draft' THEN 10 WHEN 'approved' THEN 25
                                         WHEN 'implemented' THEN 35 ELSE 0 END
                   END * coalesce(confidence, 1)))::numeric, 4)::float8 AS score
        FROM specifications
        WHERE is_current
        GROUP BY project_id, category
    ) c
    GROUP BY c.project_id
) s
WHERE p.id = s.project_id AND p.maturity_score IS DISTINCT FROM s.score
