//! `job_checkpoints`: progress of resumable batch jobs (the same table in both databases).

db_core::job_checkpoint_models!(crate::schema::job_checkpoints);
