-- Upserts a batch of aggregates (one array per column) on their unique key;
-- a row whose figures are unchanged is not touched.
INSERT INTO question_effectiveness (id, user_id, question_template_id, question_text, times_asked,
                                    times_answered_well, times_skipped, average_answer_length,
                                    effectiveness_score, last_asked_at)
SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::int[], $6::int[], $7::int[],
                     $8::int[], $9::float8[], $10::timestamptz[])
ON CONFLICT ON CONSTRAINT uq_question_effectiveness_user_id_question_template_id DO UPDATE SET
    question_text = EXCLUDED.question_text, times_asked = EXCLUDED.times_asked,
    times_answered_well = EXCLUDED.times_answered_well, times_skipped = EXCLUDED.times_skipped,
    average_answer_length = EXCLUDED.average_answer_length,
    effectiveness_score = EXCLUDED.effectiveness_score, last_asked_at = EXCLUDED.last_asked_at
WHERE (question_effectiveness.question_text, question_effectiveness.times_asked,
       question_effectiveness.times_answered_well, question_effectiveness.times_skipped,
       question_effectiveness.average_answer_length, question_effectiveness.effectiveness_score,
       question_effectiveness.last_asked_at)
      IS DISTINCT FROM (EXCLUDED.question_text, EXCLUDED.times_asked, EXCLUDED.times_answered_well,
       EXCLUDED.times_skipped, EXCLUDED.average_answer_length, EXCLUDED.effectiveness_score,
       EXCLUDED.last_asked_at)
