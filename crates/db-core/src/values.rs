//! Value sets that both databases use, so one Rust type serves both CHECKs.

crate::text_enum! {
    /// An LLM provider (`llm_provider_keys.provider` in auth, `llm_usage_tracking.provider` in specs).
    pub enum LlmProvider {
        /// Anthropic Claude.
        Claude => "claude",
        /// OpenAI.
        OpenAi => "openai",
        /// Google Gemini.
        Gemini => "gemini",
        /// A local Ollama server.
        Ollama => "ollama",
        /// Any other provider.
        Other => "other",
    }
}

crate::text_enum! {
    /// A level of access, ordered: `Read < Write < Admin`
    /// (`team_members`, `project_shares`, `project_invitations`).
    pub enum PermissionLevel {
        /// May read.
        Read => "read",
        /// May read and change.
        Write => "write",
        /// May also manage access.
        Admin => "admin",
    }
}

crate::text_enum! {
    /// The life of an invitation (`team_invitations.status`, `project_invitations.status`).
    pub enum InvitationStatus {
        /// Sent, not answered.
        Pending => "pending",
        /// Accepted by the invitee.
        Accepted => "accepted",
        /// Declined by the invitee.
        Declined => "declined",
        /// Withdrawn by the inviter.
        Revoked => "revoked",
        /// Not answered in time.
        Expired => "expired",
    }
}

crate::text_enum! {
    /// Run state of a resumable batch job (`job_checkpoints.status`, both databases).
    pub enum JobStatus {
        /// Registered, never started.
        Pending => "pending",
        /// Running now (`updated_at` is its heartbeat).
        Running => "running",
        /// Stopped on purpose; resumable.
        Paused => "paused",
        /// Finished.
        Completed => "completed",
        /// Stopped by an error; resumable.
        Failed => "failed",
    }
}

crate::text_enum! {
    /// What `import-legacy` did with a legacy row it did not import as a row
    /// of its own (`legacy_import_quarantine.outcome`, both databases).
    pub enum ImportOutcome {
        /// Merged into a row it duplicates (`merged_into` names it).
        Merged => "merged",
        /// Rejected: kept only in the quarantine, with its reason.
        Rejected => "rejected",
    }
}
