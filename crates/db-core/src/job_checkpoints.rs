//! The `job_checkpoints` table, identical in both databases (SCHEMA.md 3.16 and 4.24).

/// Declares `JobCheckpoint`, `NewJobCheckpoint` and `JobCheckpointChanges` for the
/// `job_checkpoints` table of the invoking crate's schema.
///
/// Both database crates have this table with the same columns; the models are
/// written once, here, and instantiated for each schema.
#[macro_export]
macro_rules! job_checkpoint_models {
    ($table:path) => {
        /// A row of `job_checkpoints`.
        #[derive(
            Debug, Clone, PartialEq, diesel::Queryable, diesel::QueryableByName, diesel::Selectable, diesel::Identifiable,
        )]
        #[diesel(table_name = $table, check_for_backend(diesel::pg::Pg))]
        pub struct JobCheckpoint {
            /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
            pub id: $crate::JobCheckpointId,
            /// stable job identifier, one row per job
            pub job_name: String,
            /// run state; one of: pending, running, paused, completed, failed
            pub status: $crate::JobStatus,
            /// opaque resume position (e.g. last processed id)
            pub cursor: Option<String>,
            /// items processed in the current run
            pub processed_count: i64,
            /// items that failed in the current run
            pub failed_count: i64,
            /// items expected, when known
            pub total_count: Option<i64>,
            /// last error message
            pub last_error: Option<String>,
            /// current run start
            pub started_at:
                Option<$crate::__private::chrono::DateTime<$crate::__private::chrono::Utc>>,
            /// current run end
            pub finished_at:
                Option<$crate::__private::chrono::DateTime<$crate::__private::chrono::Utc>>,
            /// row creation time
            pub created_at: $crate::__private::chrono::DateTime<$crate::__private::chrono::Utc>,
            /// trigger-maintained; doubles as heartbeat
            pub updated_at: $crate::__private::chrono::DateTime<$crate::__private::chrono::Utc>,
        }

        /// A new row of `job_checkpoints`; `None` leaves a column to its default.
        #[derive(Debug, Clone, diesel::Insertable)]
        #[diesel(table_name = $table)]
        pub struct NewJobCheckpoint<'a> {
            /// Primary key: pass `JobCheckpointId::new()` (a UUIDv7).
            pub id: $crate::JobCheckpointId,
            /// stable job identifier, one row per job
            pub job_name: &'a str,
            /// run state; one of: pending, running, paused, completed, failed. `None` = default ('pending').
            pub status: Option<$crate::JobStatus>,
            /// opaque resume position (e.g. last processed id). `None` = NULL.
            pub cursor: Option<&'a str>,
            /// items processed in the current run. `None` = default (0).
            pub processed_count: Option<i64>,
            /// items that failed in the current run. `None` = default (0).
            pub failed_count: Option<i64>,
            /// items expected, when known. `None` = NULL.
            pub total_count: Option<i64>,
            /// last error message. `None` = NULL.
            pub last_error: Option<&'a str>,
            /// current run start. `None` = NULL.
            pub started_at:
                Option<$crate::__private::chrono::DateTime<$crate::__private::chrono::Utc>>,
            /// current run end. `None` = NULL.
            pub finished_at:
                Option<$crate::__private::chrono::DateTime<$crate::__private::chrono::Utc>>,
            /// row creation time. `None` = default (now()).
            pub created_at:
                Option<$crate::__private::chrono::DateTime<$crate::__private::chrono::Utc>>,
        }

        impl<'a> NewJobCheckpoint<'a> {
            /// The required columns; every other column is left to its default (or NULL).
            pub fn new(id: $crate::JobCheckpointId, job_name: &'a str) -> Self {
                Self {
                    id,
                    job_name,
                    status: None,
                    cursor: None,
                    processed_count: None,
                    failed_count: None,
                    total_count: None,
                    last_error: None,
                    started_at: None,
                    finished_at: None,
                    created_at: None,
                }
            }
        }

        impl JobCheckpoint {
            /// Starts or resumes `job`. A run that completed starts over (no cursor,
            /// zero counts, `total`); a run left `running` (killed), `paused` or
            /// `failed` resumes from its cursor with its counts and the total it
            /// started with (a `total` counted now would leave out the rows
            /// already done).
            pub fn begin(
                conn: &mut diesel::PgConnection,
                job: &str,
                total: Option<i64>,
            ) -> diesel::QueryResult<Self> {
                use diesel::RunQueryDsl as _;
                diesel::sql_query(
                    "INSERT INTO job_checkpoints (id, job_name, status, started_at, total_count) \
                     VALUES ($1, $2, 'running', now(), $3) \
                     ON CONFLICT (job_name) DO UPDATE SET \
                         status = 'running', \
                         cursor = CASE WHEN job_checkpoints.status = 'completed' THEN NULL ELSE job_checkpoints.cursor END, \
                         processed_count = CASE WHEN job_checkpoints.status = 'completed' THEN 0 ELSE job_checkpoints.processed_count END, \
                         failed_count = CASE WHEN job_checkpoints.status = 'completed' THEN 0 ELSE job_checkpoints.failed_count END, \
                         started_at = CASE WHEN job_checkpoints.status = 'completed' OR job_checkpoints.started_at IS NULL \
                                           THEN now() ELSE job_checkpoints.started_at END, \
                         finished_at = NULL, last_error = NULL, \
                         total_count = CASE WHEN job_checkpoints.status = 'completed' \
                                            THEN coalesce(EXCLUDED.total_count, job_checkpoints.total_count) \
                                            ELSE coalesce(job_checkpoints.total_count, EXCLUDED.total_count) END \
                     RETURNING *",
                )
                .bind::<diesel::sql_types::Uuid, _>($crate::JobCheckpointId::new())
                .bind::<diesel::sql_types::Text, _>(job)
                .bind::<diesel::sql_types::Nullable<diesel::sql_types::BigInt>, _>(total)
                .get_result(conn)
            }

            /// Records a finished batch: the cursor to resume after, and counts to add.
            pub fn advance(
                &mut self,
                conn: &mut diesel::PgConnection,
                cursor: Option<&str>,
                processed: i64,
                failed: i64,
                last_error: Option<&str>,
            ) -> diesel::QueryResult<()> {
                use diesel::RunQueryDsl as _;
                *self = diesel::sql_query(
                    "UPDATE job_checkpoints SET cursor = $2, processed_count = processed_count + $3, \
                     failed_count = failed_count + $4, last_error = coalesce($5, last_error) \
                     WHERE id = $1 RETURNING *",
                )
                .bind::<diesel::sql_types::Uuid, _>(self.id)
                .bind::<diesel::sql_types::Nullable<diesel::sql_types::Text>, _>(cursor)
                .bind::<diesel::sql_types::BigInt, _>(processed)
                .bind::<diesel::sql_types::BigInt, _>(failed)
                .bind::<diesel::sql_types::Nullable<diesel::sql_types::Text>, _>(last_error)
                .get_result(conn)?;
                Ok(())
            }

            /// Ends the run with `status` (`Completed`, `Failed` or `Paused`).
            pub fn finish(
                &mut self,
                conn: &mut diesel::PgConnection,
                status: $crate::JobStatus,
                last_error: Option<&str>,
            ) -> diesel::QueryResult<()> {
                use diesel::RunQueryDsl as _;
                *self = diesel::sql_query(
                    "UPDATE job_checkpoints SET status = $2, finished_at = now(), \
                     last_error = coalesce($3, last_error) WHERE id = $1 RETURNING *",
                )
                .bind::<diesel::sql_types::Uuid, _>(self.id)
                .bind::<diesel::sql_types::Text, _>(status)
                .bind::<diesel::sql_types::Nullable<diesel::sql_types::Text>, _>(last_error)
                .get_result(conn)?;
                Ok(())
            }

            /// The checkpoint of `job`, if it ever ran.
            pub fn find(conn: &mut diesel::PgConnection, job: &str) -> diesel::QueryResult<Option<Self>> {
                use diesel::{OptionalExtension as _, RunQueryDsl as _};
                diesel::sql_query("SELECT * FROM job_checkpoints WHERE job_name = $1")
                    .bind::<diesel::sql_types::Text, _>(job)
                    .get_result(conn)
                    .optional()
            }
        }

        /// Changes to a `job_checkpoints` row: `None` leaves a column as it is, `Some(None)` sets a nullable one to NULL.
        #[derive(Debug, Clone, Default, diesel::AsChangeset)]
        #[diesel(table_name = $table)]
        pub struct JobCheckpointChanges<'a> {
            /// stable job identifier, one row per job
            pub job_name: Option<&'a str>,
            /// run state; one of: pending, running, paused, completed, failed
            pub status: Option<$crate::JobStatus>,
            /// opaque resume position (e.g. last processed id)
            pub cursor: Option<Option<&'a str>>,
            /// items processed in the current run
            pub processed_count: Option<i64>,
            /// items that failed in the current run
            pub failed_count: Option<i64>,
            /// items expected, when known
            pub total_count: Option<Option<i64>>,
            /// last error message
            pub last_error: Option<Option<&'a str>>,
            /// current run start
            pub started_at:
                Option<Option<$crate::__private::chrono::DateTime<$crate::__private::chrono::Utc>>>,
            /// current run end
            pub finished_at:
                Option<Option<$crate::__private::chrono::DateTime<$crate::__private::chrono::Utc>>>,
        }
    };
}
