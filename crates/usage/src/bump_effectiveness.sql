-- Adds one outcome's counts to the row of (user, template), creating it if needed;
-- the global row (user NULL) is unique too (NULLS NOT DISTINCT).
INSERT INTO question_effectiveness (id, user_id, question_template_id, question_id,
                                    times_asked, times_answered_well, times_skipped, last_asked_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $5 > 0 THEN now() END)
ON CONFLICT ON CONSTRAINT uq_question_effectiveness_user_id_question_template_id DO UPDATE SET
    times_asked = question_effectiveness.times_asked + EXCLUDED.times_asked,
    times_answered_well = question_effectiveness.times_answered_well + EXCLUDED.times_answered_well,
    times_skipped = question_effectiveness.times_skipped + EXCLUDED.times_skipped,
    question_id = coalesce(EXCLUDED.question_id, question_effectiveness.question_id),
    last_asked_at = coalesce(EXCLUDED.last_asked_at, question_effectiveness.last_asked_at),
    effectiveness_score = CASE WHEN question_effectiveness.times_asked + EXCLUDED.times_asked > 0
        THEN least(1.0, (question_effectiveness.times_answered_well + EXCLUDED.times_answered_well)::float8
                        / (question_effectiveness.times_asked + EXCLUDED.times_asked)) END
RETURNING *
