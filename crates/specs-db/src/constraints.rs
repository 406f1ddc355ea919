//! Names of the constraints of `socrates_specs` that code relies on (matches
//! errors against, or names in `ON CONFLICT ON CONSTRAINT`), written once;
//! a test checks each against the migrated catalog.

/// One question-effectiveness row per user and template, the global one
/// (user NULL) included: `UNIQUE NULLS NOT DISTINCT (user_id, question_template_id)`.
pub const UQ_QUESTION_EFFECTIVENESS_USER_ID_QUESTION_TEMPLATE_ID: &str =
    "uq_question_effectiveness_user_id_question_template_id";

/// Every name above.
pub const ALL: &[&str] = &[UQ_QUESTION_EFFECTIVENESS_USER_ID_QUESTION_TEMPLATE_ID];
