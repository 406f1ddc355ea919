-- 2025-11-11-000007_specs_api_llm_integration: llm_usage_tracking, subscriptions, invoices (socrates_specs; see docs/SCHEMA.md)

CREATE TABLE llm_usage_tracking (
    id             uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id        uuid NOT NULL,
    project_id     uuid,
    session_id     uuid,
    provider       varchar(50) NOT NULL,
    model_name     varchar(100) NOT NULL,
    operation_type varchar(100),
    input_tokens   integer NOT NULL DEFAULT 0,
    output_tokens  integer NOT NULL DEFAULT 0,
    total_tokens   integer NOT NULL DEFAULT 0,
    cost_usd       numeric(12,6),
    latency_ms     integer,
    status         varchar(20) NOT NULL DEFAULT 'success',
    error_message  text,
    metadata       jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT llm_usage_tracking_pkey PRIMARY KEY (id),
    CONSTRAINT ck_llm_usage_tracking_provider CHECK (provider IN ('claude', 'openai', 'gemini', 'ollama', 'other')),
    CONSTRAINT ck_llm_usage_tracking_status CHECK (status IN ('success', 'error', 'timeout', 'rate_limited')),
    CONSTRAINT ck_llm_usage_tracking_counts CHECK (input_tokens >= 0 AND output_tokens >= 0 AND total_tokens >= 0 AND (latency_ms IS NULL OR latency_ms >= 0)),
    CONSTRAINT ck_llm_usage_tracking_cost_usd_range CHECK (cost_usd >= 0),
    CONSTRAINT fk_llm_usage_tracking_project_id FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE SET NULL,
    CONSTRAINT fk_llm_usage_tracking_session_id FOREIGN KEY (session_id) REFERENCES sessions (id) ON DELETE SET NULL
);

CREATE INDEX idx_llm_usage_tracking_user_id_created_at ON llm_usage_tracking (user_id, created_at DESC);
CREATE INDEX idx_llm_usage_tracking_project_id ON llm_usage_tracking (project_id);
CREATE INDEX idx_llm_usage_tracking_session_id ON llm_usage_tracking (session_id);
CREATE INDEX idx_llm_usage_tracking_provider ON llm_usage_tracking (provider);
CREATE INDEX idx_llm_usage_tracking_status ON llm_usage_tracking (status);
CREATE INDEX idx_llm_usage_tracking_created_at ON llm_usage_tracking (created_at DESC);

COMMENT ON TABLE llm_usage_tracking IS 'one row per LLM call: tokens, cost, latency (billing/usage history, kept after user deletion).';
COMMENT ON COLUMN llm_usage_tracking.id IS 'primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)';
COMMENT ON COLUMN llm_usage_tracking.user_id IS 'Cross-DB ref to socrates_auth.users.id (no FK); on delete: keep. kept as tombstone';
COMMENT ON COLUMN llm_usage_tracking.project_id IS 'project the call was made for, if any';
COMMENT ON COLUMN llm_usage_tracking.session_id IS 'session the call was made in, if any';
COMMENT ON COLUMN llm_usage_tracking.provider IS 'LLM provider called; one of: claude, openai, gemini, ollama, other';
COMMENT ON COLUMN llm_usage_tracking.model_name IS 'provider model id (free text)';
COMMENT ON COLUMN llm_usage_tracking.operation_type IS 'e.g. question_generation (free text)';
COMMENT ON COLUMN llm_usage_tracking.input_tokens IS 'prompt tokens';
COMMENT ON COLUMN llm_usage_tracking.output_tokens IS 'completion tokens';
COMMENT ON COLUMN llm_usage_tracking.total_tokens IS 'as billed by the provider';
COMMENT ON COLUMN llm_usage_tracking.cost_usd IS 'estimated cost';
COMMENT ON COLUMN llm_usage_tracking.latency_ms IS 'round-trip time in milliseconds';
COMMENT ON COLUMN llm_usage_tracking.status IS 'call outcome; one of: success, error, timeout, rate_limited';
COMMENT ON COLUMN llm_usage_tracking.error_message IS 'failure message, if any';
COMMENT ON COLUMN llm_usage_tracking.metadata IS 'free-form metadata (JSON object)';
COMMENT ON COLUMN llm_usage_tracking.created_at IS 'call time';

CREATE TABLE subscriptions (
    id                     uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id                uuid NOT NULL,
    plan_name              varchar(100) NOT NULL,
    plan_type              varchar(50),
    status                 varchar(20) NOT NULL DEFAULT 'active',
    price_usd              numeric(12,2),
    billing_cycle_start    timestamptz,
    billing_cycle_end      timestamptz,
    auto_renew             boolean NOT NULL DEFAULT true,
    cancelled_at           timestamptz,
    stripe_customer_id     varchar(255),
    stripe_subscription_id varchar(255),
    features               jsonb NOT NULL DEFAULT '{}'::jsonb,
    metadata               jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT subscriptions_pkey PRIMARY KEY (id),
    CONSTRAINT uq_subscriptions_stripe_subscription_id UNIQUE (stripe_subscription_id),
    CONSTRAINT ck_subscriptions_plan_name CHECK (plan_name IN ('free', 'starter', 'professional', 'enterprise')),
    CONSTRAINT ck_subscriptions_plan_type CHECK (plan_type IN ('monthly', 'yearly', 'usage_based')),
    CONSTRAINT ck_subscriptions_status CHECK (status IN ('active', 'cancelled', 'suspended', 'expired', 'past_due')),
    CONSTRAINT ck_subscriptions_price_usd_range CHECK (price_usd >= 0),
    CONSTRAINT ck_subscriptions_billing_cycle CHECK (billing_cycle_end > billing_cycle_start)
);

CREATE INDEX idx_subscriptions_user_id ON subscriptions (user_id);
CREATE INDEX idx_subscriptions_status ON subscriptions (status);
CREATE INDEX idx_subscriptions_stripe_customer_id ON subscriptions (stripe_customer_id);

SELECT diesel_manage_updated_at('subscriptions');

COMMENT ON TABLE subscriptions IS 'a user''s billing plan and its Stripe linkage.';
COMMENT ON COLUMN subscriptions.id IS 'primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)';
COMMENT ON COLUMN subscriptions.user_id IS 'Cross-DB ref to socrates_auth.users.id (no FK); on delete: keep. kept as tombstone';
COMMENT ON COLUMN subscriptions.plan_name IS 'plan tier; one of: free, starter, professional, enterprise';
COMMENT ON COLUMN subscriptions.plan_type IS 'billing interval; one of: monthly, yearly, usage_based';
COMMENT ON COLUMN subscriptions.status IS 'subscription state; one of: active, cancelled, suspended, expired, past_due';
COMMENT ON COLUMN subscriptions.price_usd IS 'price per interval';
COMMENT ON COLUMN subscriptions.billing_cycle_start IS 'current period start';
COMMENT ON COLUMN subscriptions.billing_cycle_end IS 'current period end';
COMMENT ON COLUMN subscriptions.auto_renew IS 'false = cancel at period end';
COMMENT ON COLUMN subscriptions.cancelled_at IS 'cancellation time';
COMMENT ON COLUMN subscriptions.stripe_customer_id IS 'Stripe customer id';
COMMENT ON COLUMN subscriptions.stripe_subscription_id IS 'Stripe subscription id';
COMMENT ON COLUMN subscriptions.features IS 'feature flags/limits';
COMMENT ON COLUMN subscriptions.metadata IS 'free-form metadata (JSON object)';
COMMENT ON COLUMN subscriptions.created_at IS 'row creation time';
COMMENT ON COLUMN subscriptions.updated_at IS 'last modification time; maintained by trigger set_updated_at';

CREATE TABLE invoices (
    id                uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id           uuid NOT NULL,
    subscription_id   uuid,
    invoice_number    varchar(50) NOT NULL,
    amount            numeric(12,2) NOT NULL,
    currency          varchar(3) NOT NULL DEFAULT 'USD',
    status            varchar(20) NOT NULL DEFAULT 'draft',
    description       text,
    line_items        jsonb NOT NULL DEFAULT '[]'::jsonb,
    issued_at         timestamptz,
    due_at            timestamptz,
    paid_at           timestamptz,
    stripe_invoice_id varchar(255),
    metadata          jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT invoices_pkey PRIMARY KEY (id),
    CONSTRAINT uq_invoices_invoice_number UNIQUE (invoice_number),
    CONSTRAINT uq_invoices_stripe_invoice_id UNIQUE (stripe_invoice_id),
    CONSTRAINT ck_invoices_status CHECK (status IN ('draft', 'sent', 'paid', 'overdue', 'cancelled')),
    CONSTRAINT ck_invoices_amount_range CHECK (amount >= 0),
    CONSTRAINT ck_invoices_currency CHECK (currency ~ '^[A-Z]{3}$'),
    CONSTRAINT fk_invoices_subscription_id FOREIGN KEY (subscription_id) REFERENCES subscriptions (id) ON DELETE SET NULL
);

CREATE INDEX idx_invoices_user_id_created_at ON invoices (user_id, created_at DESC);
CREATE INDEX idx_invoices_subscription_id ON invoices (subscription_id);
CREATE INDEX idx_invoices_status ON invoices (status);
CREATE INDEX idx_invoices_due_at ON invoices (due_at);

SELECT diesel_manage_updated_at('invoices');

COMMENT ON TABLE invoices IS 'invoices issued to a user (billing history, kept after user deletion).';
COMMENT ON COLUMN invoices.id IS 'primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)';
COMMENT ON COLUMN invoices.user_id IS 'Cross-DB ref to socrates_auth.users.id (no FK); on delete: keep. kept as tombstone';
COMMENT ON COLUMN invoices.subscription_id IS 'subscription billed, if any';
COMMENT ON COLUMN invoices.invoice_number IS 'human invoice number';
COMMENT ON COLUMN invoices.amount IS 'total, in `currency`';
COMMENT ON COLUMN invoices.currency IS 'ISO 4217, uppercase';
COMMENT ON COLUMN invoices.status IS 'invoice state; one of: draft, sent, paid, overdue, cancelled';
COMMENT ON COLUMN invoices.description IS 'invoice description';
COMMENT ON COLUMN invoices.line_items IS 'list of line items';
COMMENT ON COLUMN invoices.issued_at IS 'issue time';
COMMENT ON COLUMN invoices.due_at IS 'payment due time';
COMMENT ON COLUMN invoices.paid_at IS 'payment time';
COMMENT ON COLUMN invoices.stripe_invoice_id IS 'Stripe invoice id';
COMMENT ON COLUMN invoices.metadata IS 'free-form metadata (JSON object)';
COMMENT ON COLUMN invoices.created_at IS 'row creation time';
COMMENT ON COLUMN invoices.updated_at IS 'last modification time; maintained by trigger set_updated_at';
