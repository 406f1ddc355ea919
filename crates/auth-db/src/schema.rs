// @generated automatically by Diesel CLI.

diesel::table! {
    /// append-only trail of admin actions.
    admin_audit_logs (id) {
        /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
        id -> Uuid,
        /// acting admin
        admin_id -> Uuid,
        /// action name, free text (e.g. `user.suspend`)
        #[max_length = 100]
        action -> Varchar,
        /// kind of object acted on (free text)
        #[max_length = 100]
        resource_type -> Varchar,
        /// id of that object, as text
        #[max_length = 100]
        resource_id -> Varchar,
        /// before/after values
        changes -> Jsonb,
        /// admin's IP
        ip_address -> Nullable<Inet>,
        /// admin's user agent
        user_agent -> Nullable<Text>,
        /// action time
        created_at -> Timestamptz,
    }
}

diesel::table! {
    /// named admin roles with permission lists.
    admin_roles (id) {
        /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
        id -> Uuid,
        /// role name
        #[max_length = 100]
        name -> Varchar,
        /// what the role is for
        description -> Nullable<Text>,
        /// permission strings (e.g. `users.suspend`)
        permissions -> Array<Text>,
        /// built-in role; the app refuses to delete it
        is_system_role -> Bool,
        /// row creation time
        created_at -> Timestamptz,
        /// last modification time; maintained by trigger set_updated_at
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    /// assignment of admin roles to users.
    admin_users (id) {
        /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
        id -> Uuid,
        /// user holding the role
        user_id -> Uuid,
        /// granted role
        role_id -> Uuid,
        /// admin who granted it
        granted_by_id -> Nullable<Uuid>,
        /// justification
        reason -> Nullable<Text>,
        /// NULL = grant active (re-grant clears it)
        revoked_at -> Nullable<Timestamptz>,
        /// grant time
        created_at -> Timestamptz,
        /// last modification time; maintained by trigger set_updated_at
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    /// platform access keys for the Socrates API (hash + display prefix only).
    api_keys (id) {
        /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
        id -> Uuid,
        /// key owner
        user_id -> Uuid,
        /// user-given label
        #[max_length = 255]
        name -> Varchar,
        /// SHA-256 of the full key
        key_hash -> Bytea,
        /// first characters, for display/identification
        #[max_length = 20]
        key_prefix -> Varchar,
        /// key state; one of: active, revoked, expired
        #[max_length = 20]
        status -> Varchar,
        /// granted scopes
        scopes -> Array<Text>,
        /// requests per minute; NULL = plan default
        rate_limit -> Nullable<Int4>,
        /// successful authentications
        usage_count -> Int8,
        /// last successful use
        last_used_at -> Nullable<Timestamptz>,
        /// NULL = no expiry
        expires_at -> Nullable<Timestamptz>,
        /// set with status 'revoked'
        revoked_at -> Nullable<Timestamptz>,
        /// free-form metadata (JSON object)
        metadata -> Jsonb,
        /// row creation time
        created_at -> Timestamptz,
        /// last modification time; maintained by trigger set_updated_at
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    /// security event log (login, logout, password and key changes), append-only.
    audit_logs (id) {
        /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
        id -> Uuid,
        /// acting user; NULLed when the user is deleted
        user_id -> Nullable<Uuid>,
        /// dotted event name, free text (e.g. `user.login`)
        #[max_length = 100]
        action -> Varchar,
        /// kind of object acted on (free text)
        #[max_length = 50]
        resource_type -> Nullable<Varchar>,
        /// id of that object, as text
        #[max_length = 100]
        resource_id -> Nullable<Varchar>,
        /// client IP
        ip_address -> Nullable<Inet>,
        /// client user agent
        user_agent -> Nullable<Text>,
        /// event details; data changes as `{"old":…,"new":…}`
        details -> Jsonb,
        /// event time
        created_at -> Timestamptz,
    }
}

diesel::table! {
    /// durable queue of auth deletions whose specs-side cleanup is still pending (§5.3).
    cross_db_outbox (id) {
        /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
        id -> Uuid,
        /// what was deleted; one of: user_deleted, team_deleted
        #[max_length = 20]
        kind -> Varchar,
        /// the deleted users.id or teams.id
        subject_id -> Uuid,
        /// written in the deleting transaction
        created_at -> Timestamptz,
        /// specs cleanup committed; NULL = pending
        processed_at -> Nullable<Timestamptz>,
        /// cleanup attempts so far
        attempts -> Int4,
        /// error of the last failed attempt
        last_error -> Nullable<Text>,
    }
}

diesel::table! {
    /// progress of resumable batch jobs (outbox drain, purges, re-encryption, backfills).
    job_checkpoints (id) {
        /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
        id -> Uuid,
        /// stable job identifier, one row per job
        #[max_length = 100]
        job_name -> Varchar,
        /// run state; one of: pending, running, paused, completed, failed
        #[max_length = 20]
        status -> Varchar,
        /// opaque resume position (e.g. last processed id)
        cursor -> Nullable<Text>,
        /// items processed in the current run
        processed_count -> Int8,
        /// items that failed in the current run
        failed_count -> Int8,
        /// items expected, when known
        total_count -> Nullable<Int8>,
        /// last error message
        last_error -> Nullable<Text>,
        /// current run start
        started_at -> Nullable<Timestamptz>,
        /// current run end
        finished_at -> Nullable<Timestamptz>,
        /// row creation time
        created_at -> Timestamptz,
        /// trigger-maintained; doubles as heartbeat
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    /// progress of import-legacy per legacy table whose rows land in this database: resume position and counts that add up.
    legacy_import_progress (id) {
        /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
        id -> Uuid,
        /// legacy database and table, e.g. auth.users or specs.teams
        #[max_length = 100]
        source_table -> Varchar,
        /// run state; one of: pending, running, paused, completed, failed
        #[max_length = 20]
        status -> Varchar,
        /// batch key of the last legacy row done (id, or project_id for tables read a project at a time); NULL = from the start
        cursor -> Nullable<Uuid>,
        /// legacy rows read in the current run; always imported + merged + rejected
        read_count -> Int8,
        /// legacy rows that are rows of ours with the same id (this run or an earlier one)
        imported_count -> Int8,
        /// legacy rows merged into a row they duplicate (recorded in legacy_import_quarantine)
        merged_count -> Int8,
        /// legacy rows rejected into legacy_import_quarantine
        rejected_count -> Int8,
        /// current run start
        started_at -> Nullable<Timestamptz>,
        /// current run end
        finished_at -> Nullable<Timestamptz>,
        /// row creation time
        created_at -> Timestamptz,
        /// trigger-maintained; doubles as heartbeat
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    /// legacy rows that import-legacy did not import as rows of their own: merged into a row they duplicate, or rejected, each with its reason and the whole legacy row (secrets replaced by their SHA-256).
    legacy_import_quarantine (id) {
        /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
        id -> Uuid,
        /// legacy database and table, e.g. specs.projects
        #[max_length = 100]
        source_table -> Varchar,
        /// the legacy row's id
        legacy_id -> Uuid,
        /// what happened to it; one of: merged, rejected
        #[max_length = 20]
        outcome -> Varchar,
        /// why, as a stable snake_case code (e.g. duplicate_email, owner_not_found, unknown_status)
        #[max_length = 100]
        reason -> Varchar,
        /// id of the row it was merged into; set iff outcome = merged
        merged_into -> Nullable<Uuid>,
        /// the whole legacy row as JSON; a raw token in it is replaced by its SHA-256 (hex)
        legacy_row -> Jsonb,
        /// when the import recorded it
        created_at -> Timestamptz,
    }
}

diesel::table! {
    /// each user's own LLM-provider API keys, encrypted (AES-256-GCM), one per provider.
    llm_provider_keys (id) {
        /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
        id -> Uuid,
        /// key owner
        user_id -> Uuid,
        /// LLM provider; one of: claude, openai, gemini, ollama, other
        #[max_length = 50]
        provider -> Varchar,
        /// AES-256-GCM ciphertext incl. 16-byte tag
        ciphertext -> Bytea,
        /// 96-bit GCM nonce, fresh per encryption
        nonce -> Bytea,
        /// version of the server master key used
        key_version -> Int4,
        /// user may disable without deleting
        is_active -> Bool,
        /// last successful use
        last_used_at -> Nullable<Timestamptz>,
        /// row creation time
        created_at -> Timestamptz,
        /// last modification time; maintained by trigger set_updated_at
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    /// single-use password-reset tokens (hash only).
    password_reset_requests (id) {
        /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
        id -> Uuid,
        /// account being reset
        user_id -> Uuid,
        /// SHA-256 of the e-mailed token
        token_hash -> Bytea,
        /// token expiry
        expires_at -> Timestamptz,
        /// NULL = unused; set once
        used_at -> Nullable<Timestamptz>,
        /// requester IP
        ip_address -> Nullable<Inet>,
        /// requester user agent
        user_agent -> Nullable<Text>,
        /// request time
        created_at -> Timestamptz,
    }
}

diesel::table! {
    /// rotating refresh tokens (hash only) with family-based reuse detection.
    refresh_tokens (id) {
        /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
        id -> Uuid,
        /// token owner
        user_id -> Uuid,
        /// SHA-256 of the opaque token (32 bytes)
        token_hash -> Bytea,
        /// rotation family; = id of the family's first token
        family_id -> Uuid,
        /// token issued when this one was rotated
        replaced_by -> Nullable<Uuid>,
        /// hard expiry
        expires_at -> Timestamptz,
        /// NULL = not revoked
        revoked_at -> Nullable<Timestamptz>,
        /// client user agent at issue
        user_agent -> Nullable<Text>,
        /// client IP at issue
        ip_address -> Nullable<Inet>,
        /// issue time
        created_at -> Timestamptz,
        /// last modification time; maintained by trigger set_updated_at
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    /// e-mail invitations to join a team (token hash only).
    team_invitations (id) {
        /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
        id -> Uuid,
        /// inviting team
        team_id -> Uuid,
        /// inviting user
        invited_by_id -> Uuid,
        /// invitee e-mail, lowercase
        #[max_length = 255]
        invited_email -> Varchar,
        /// role granted on acceptance; one of: lead, developer, viewer
        #[max_length = 50]
        role -> Varchar,
        /// SHA-256 of the invitation token
        token_hash -> Bytea,
        /// invitation state; one of: pending, accepted, declined, revoked, expired
        #[max_length = 20]
        status -> Varchar,
        /// token expiry
        expires_at -> Timestamptz,
        /// accept/decline time
        responded_at -> Nullable<Timestamptz>,
        /// row creation time
        created_at -> Timestamptz,
        /// last modification time; maintained by trigger set_updated_at
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    /// team membership with roles.
    team_members (id) {
        /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
        id -> Uuid,
        /// team
        team_id -> Uuid,
        /// member
        user_id -> Uuid,
        /// member role; one of: owner, lead, developer, viewer
        #[max_length = 50]
        role -> Varchar,
        /// override; NULL = derived from role; one of: read, write, admin
        #[max_length = 50]
        permission_level -> Nullable<Varchar>,
        /// membership state; one of: active, invited, inactive, suspended
        #[max_length = 20]
        status -> Varchar,
        /// who added the member
        invited_by_id -> Nullable<Uuid>,
        /// membership start
        joined_at -> Timestamptz,
        /// 0–100 activity score
        contribution_score -> Nullable<Float8>,
        /// free-form metadata (JSON object)
        metadata -> Jsonb,
        /// row creation time
        created_at -> Timestamptz,
        /// last modification time; maintained by trigger set_updated_at
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    /// teams of users; lives in AUTH, so specs refers to it across databases.
    teams (id) {
        /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
        id -> Uuid,
        /// display name, unique per owner
        #[max_length = 255]
        name -> Varchar,
        /// team description
        description -> Nullable<Text>,
        /// current owner (transferable)
        owner_id -> Uuid,
        /// team state; one of: active, archived, suspended
        #[max_length = 20]
        status -> Varchar,
        /// cached count of active members
        member_count -> Int4,
        /// cached count of projects shared with the team (specs)
        project_count -> Int4,
        /// team settings
        settings -> Jsonb,
        /// free metadata
        metadata -> Jsonb,
        /// row creation time
        created_at -> Timestamptz,
        /// last modification time; maintained by trigger set_updated_at
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    /// per-user UI and LLM preferences (seed 004).
    user_preferences (id) {
        /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
        id -> Uuid,
        /// one row per user
        user_id -> Uuid,
        /// UI theme; one of: dark, light, system
        #[max_length = 50]
        theme -> Varchar,
        /// preferred model id (free text); NULL = platform default
        #[max_length = 255]
        llm_model -> Nullable<Varchar>,
        /// sampling temperature
        llm_temperature -> Float8,
        /// max output tokens
        llm_max_tokens -> Int4,
        /// IDE integration; one of: vscode, jetbrains, vim, emacs, cursor, other
        #[max_length = 50]
        ide_type -> Nullable<Varchar>,
        /// sync generated files to the IDE automatically
        auto_sync -> Bool,
        /// master switch for notifications
        notifications_enabled -> Bool,
        /// row creation time
        created_at -> Timestamptz,
        /// last modification time; maintained by trigger set_updated_at
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    /// per-user Quality-Control rules (seed 003).
    user_rules (id) {
        /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
        id -> Uuid,
        /// rule owner (one row per user)
        user_id -> Uuid,
        /// rule map, e.g. `{"prefer_postgres": true}`
        rules -> Jsonb,
        /// row creation time
        created_at -> Timestamptz,
        /// last modification time; maintained by trigger set_updated_at
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    /// user accounts and login state.
    users (id) {
        /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
        id -> Uuid,
        /// login e-mail, stored lowercase
        #[max_length = 255]
        email -> Varchar,
        /// optional unique handle
        #[max_length = 255]
        username -> Nullable<Varchar>,
        /// PHC-format hash (argon2id; bcrypt accepted)
        #[max_length = 255]
        password_hash -> Varchar,
        /// given name
        #[max_length = 255]
        first_name -> Nullable<Varchar>,
        /// family name
        #[max_length = 255]
        last_name -> Nullable<Varchar>,
        /// profile text
        bio -> Nullable<Text>,
        /// profile image URL
        #[max_length = 500]
        avatar_url -> Nullable<Varchar>,
        /// platform role; one of: user, admin, moderator
        #[max_length = 20]
        role -> Varchar,
        /// account state; only `active` may log in; one of: active, inactive, suspended, deleted
        #[max_length = 50]
        status -> Varchar,
        /// e-mail address verified
        is_verified -> Bool,
        /// consecutive failed logins; reset on success
        failed_login_count -> Int4,
        /// logins refused until this time
        locked_until -> Nullable<Timestamptz>,
        /// last successful login
        last_login_at -> Nullable<Timestamptz>,
        /// row creation time
        created_at -> Timestamptz,
        /// last modification time; maintained by trigger set_updated_at
        updated_at -> Timestamptz,
    }
}

diesel::joinable!(admin_audit_logs -> users (admin_id));
diesel::joinable!(admin_users -> admin_roles (role_id));
diesel::joinable!(api_keys -> users (user_id));
diesel::joinable!(audit_logs -> users (user_id));
diesel::joinable!(llm_provider_keys -> users (user_id));
diesel::joinable!(password_reset_requests -> users (user_id));
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(team_invitations -> teams (team_id));
diesel::joinable!(team_invitations -> users (invited_by_id));
diesel::joinable!(team_members -> teams (team_id));
diesel::joinable!(teams -> users (owner_id));
diesel::joinable!(user_preferences -> users (user_id));
diesel::joinable!(user_rules -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    admin_audit_logs,
    admin_roles,
    admin_users,
    api_keys,
    audit_logs,
    cross_db_outbox,
    job_checkpoints,
    legacy_import_progress,
    legacy_import_quarantine,
    llm_provider_keys,
    password_reset_requests,
    refresh_tokens,
    team_invitations,
    team_members,
    teams,
    user_preferences,
    user_rules,
    users,
);
