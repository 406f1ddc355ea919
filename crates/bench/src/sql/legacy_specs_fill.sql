-- A Socrates2 specs database at scale (see legacy_auth_fill.sql): teams and
-- API keys, then projects and everything under them, in the proportions of a
-- conversation-heavy installation, with a share of dirty rows (unknown
-- values, owners that do not exist) for the import to quarantine.
INSERT INTO teams (id, name, owner_id, status, member_count)
SELECT md5('t' || i)::uuid, 'team ' || i, md5('u' || (i * 7 % {users}))::uuid, 'active', 5
FROM generate_series(0, {teams} - 1) i;

INSERT INTO team_members (id, team_id, user_id, role, status, joined_at)
SELECT md5('tm' || i)::uuid, md5('t' || (i / 5))::uuid, md5('u' || ((i * 13 + 1) % {users}))::uuid,
       (ARRAY['member', 'admin', 'viewer', 'owner', 'lead'])[1 + i % 5], 'active', timestamptz '2024-02-01'
FROM generate_series(0, {teams} * 5 - 1) i;

INSERT INTO api_keys (id, user_id, name, key_hash, key_preview, scope, usage_count)
SELECT md5('k' || i)::uuid, md5('u' || (i % {users}))::uuid, 'key ' || i, md5('kh' || i), 'sk_' || left(md5('kp' || i), 8),
       ARRAY['read']::varchar[], i % 100
FROM generate_series(0, {keys} - 1) i;

INSERT INTO projects (id, user_id, owner_id, creator_id, name, description, current_phase, status, maturity_score, metadata, created_at, updated_at)
SELECT md5('p' || i)::uuid, o, o, o, 'project ' || i, 'description of project ' || i,
       (ARRAY['discovery', 'specification', 'generation', 'testing', 'deployment'])[1 + i % 5],
       (ARRAY['active', 'archived', 'completed', 'on_hold'])[1 + i % 4], i % 101, '{"source": "bench"}',
       timestamptz '2024-03-01' + i * interval '1 minute', timestamptz '2024-03-02' + i * interval '1 minute'
FROM generate_series(0, {projects} - 1) i,
     LATERAL (SELECT CASE WHEN i % 200 = 199 THEN md5('nobody' || i)::uuid ELSE md5('u' || (i % {users}))::uuid END AS o) x;

INSERT INTO sessions (id, project_id, user_id, title, status, message_count, mode, started_at)
SELECT md5('s' || i)::uuid, md5('p' || (i % {projects}))::uuid, md5('u' || (i % {users}))::uuid, 'session ' || i,
       (ARRAY['active', 'completed', 'paused'])[1 + i % 3], 8, 'socratic', timestamptz '2024-04-01' + i * interval '1 second'
FROM generate_series(0, {sessions} - 1) i;

INSERT INTO conversation_history (id, session_id, role, content, message_type, tokens_used, created_at)
SELECT md5('c' || i)::uuid, md5('s' || (i % {sessions}))::uuid, CASE WHEN i % 2 = 0 THEN 'user' ELSE 'assistant' END,
       'message ' || i || ' about the requirements of the system and what it must do for its users',
       CASE WHEN i % 2 = 1 THEN 'question' END, 20 + i % 50, timestamptz '2024-04-01' + i * interval '1 second'
FROM generate_series(0, {messages} - 1) i;

INSERT INTO questions (id, project_id, session_id, text, category, priority, status, context, quality_score)
SELECT md5('q' || i)::uuid, md5('p' || (i % {projects}))::uuid, md5('s' || (i % {sessions}))::uuid, 'question ' || i || '?',
       (ARRAY['goals', 'requirements', 'functional', 'security', 'astrology'])[1 + i % 5],
       'medium', (ARRAY['pending', 'answered', 'skipped'])[1 + i % 3], 'because', 0.9
FROM generate_series(0, {questions} - 1) i;

INSERT INTO specifications (id, project_id, key, value, type, status, version, category, content, source, confidence, is_current, created_at)
SELECT md5('sp' || i)::uuid, md5('p' || (i / 3 / 2 % {projects}))::uuid, 'key ' || (i / 3), 'value ' || i, 'functional',
       'approved', 1 + i % 3, CASE WHEN i % 6 < 3 THEN 'general' ELSE 'security' END,
       CASE WHEN i % 6 >= 3 THEN 'content ' || i END, 'question', 0.8, true, timestamptz '2024-05-01' + i * interval '1 second'
FROM generate_series(0, {specs} - 1) i;

INSERT INTO conflicts (id, project_id, title, description, type, severity, status, related_specifications)
SELECT md5('cf' || i)::uuid, md5('p' || (i % {projects}))::uuid, 'conflict ' || i, 'two statements disagree',
       (ARRAY['requirement_conflict', 'TECHNOLOGY', 'contradiction', 'dependency'])[1 + i % 4], 'high', 'open',
       ARRAY[md5('sp' || (i * 6))::uuid, md5('missing' || i)::uuid]
FROM generate_series(0, {conflicts} - 1) i;

INSERT INTO generated_projects (id, project_id, name, status, file_count, total_lines_of_code, created_at)
SELECT md5('g' || i)::uuid, md5('p' || (i % {projects}))::uuid, 'generated ' || i, (ARRAY['draft', 'generated', 'COMPLETED'])[1 + i % 3],
       6, 600, timestamptz '2024-06-01' + i * interval '1 second'
FROM generate_series(0, {generated} - 1) i;

INSERT INTO generated_files (id, generated_project_id, path, filename, file_type, content, lines_of_code, status)
SELECT md5('f' || i)::uuid, md5('g' || (i / 6))::uuid, 'src/file_' || (i % 6) || '.rs', 'file_' || (i % 6) || '.rs', 'rust',
       'fn main() { println!("' || i || '"); }', 1, 'generated'
FROM generate_series(0, {generated} * 6 - 1) i;

INSERT INTO knowledge_base_documents (id, title, content, document_type, tags, is_approved, relevance_score)
SELECT md5('d' || i)::uuid, 'document ' || i, 'text of document ' || i, 'guide', ARRAY['a', NULL]::varchar[], i % 2 = 0, 0.5
FROM generate_series(0, {documents} - 1) i;

INSERT INTO document_chunks (id, document_id, chunk_index, content, has_embedding, metadata)
SELECT md5('ch' || i)::uuid, md5('d' || (i / 10))::uuid, i % 10, 'chunk ' || i || ' of a document', false, '{}'
FROM generate_series(0, {documents} * 10 - 1) i;

INSERT INTO project_shares (id, project_id, shared_with_user_id, shared_with_team_id, shared_by_id, permission_level, access_type)
SELECT md5('sh' || i)::uuid, md5('p' || (i % {projects}))::uuid,
       CASE WHEN i % 2 = 0 THEN md5('u' || ((i * 31 + 5) % {users}))::uuid END,
       CASE WHEN i % 2 = 1 THEN md5('t' || (i % {teams}))::uuid END,
       md5('u' || (i % {users}))::uuid, (ARRAY['view', 'edit', 'comment'])[1 + i % 3],
       CASE WHEN i % 2 = 0 THEN 'shared_user' ELSE 'shared_team' END
FROM generate_series(0, {shares} - 1) i;

INSERT INTO project_invitations (id, project_id, invited_email, invited_by_id, role, status, invitation_token, token_expires_at)
SELECT md5('i' || i)::uuid, md5('p' || (i % {projects}))::uuid, 'Invitee' || i || '@example.com', md5('u' || (i % {users}))::uuid,
       (ARRAY['member', 'editor', 'viewer'])[1 + i % 3], (ARRAY['pending', 'ACCEPTED'])[1 + i % 2], 'inv-' || md5('it' || i),
       timestamptz '2030-01-01'
FROM generate_series(0, {invitations} - 1) i;

INSERT INTO llm_usage_tracking (id, user_id, project_id, model_name, operation_type, input_tokens, output_tokens, total_tokens, cost_usd, latency_ms, status, created_at)
SELECT md5('l' || i)::uuid, md5('u' || (i % {users}))::uuid, md5('p' || (i % {projects}))::uuid,
       (ARRAY['claude-3-opus', 'gpt-4o', 'llama3'])[1 + i % 3], 'question_generation', 100, 50, 150, 0.0125, 800, 'success',
       timestamptz '2024-07-01' + i * interval '1 second'
FROM generate_series(0, {usage} - 1) i;

INSERT INTO subscriptions (id, user_id, plan_name, plan_type, status, price_usd, stripe_subscription_id)
SELECT md5('sb' || i)::uuid, md5('u' || i)::uuid, (ARRAY['free', 'pro', 'starter', 'enterprise'])[1 + i % 4],
       (ARRAY['monthly', 'yearly', 'usage-based'])[1 + i % 3], (ARRAY['active', 'canceled', 'past_due'])[1 + i % 3], 10, 'sub_' || i
FROM generate_series(0, {subscriptions} - 1) i;

INSERT INTO invoices (id, user_id, subscription_id, invoice_number, amount_usd, currency, status, line_items)
SELECT md5('in' || i)::uuid, md5('u' || (i / 2))::uuid, md5('sb' || (i / 2))::uuid, 'INV-' || i, 10, 'usd',
       (ARRAY['paid', 'open', 'void'])[1 + i % 3], '{}'
FROM generate_series(0, {subscriptions} * 2 - 1) i;

INSERT INTO analytics_metrics (id, metric_name, metric_value, dimension_type, dimension_value, period, period_start, period_end, tags)
SELECT md5('am' || i)::uuid, 'metric_' || (i % 10), i, 'plan', 'free', 'daily',
       timestamptz '2024-01-01' + (i / 10) * interval '1 day', timestamptz '2024-01-02' + (i / 10) * interval '1 day', '{}'
FROM generate_series(0, {analytics} - 1) i;

INSERT INTO notification_preferences (id, user_id, notification_type, frequency)
SELECT md5('np' || i)::uuid, md5('u' || (i / 2))::uuid, (ARRAY['conflict', 'mention'])[1 + i % 2], 'real_time'
FROM generate_series(0, {users} * 2 - 1) i;

INSERT INTO activity_logs (id, user_id, action, resource_type, resource_id, severity, ip_address, created_at)
SELECT md5('al' || i)::uuid, md5('u' || (i % {users}))::uuid, 'project.viewed', 'project', md5('p' || (i % {projects}))::uuid,
       'info', '192.168.0.' || (i % 250), timestamptz '2024-08-01' + i * interval '1 second'
FROM generate_series(0, {activity} - 1) i;

INSERT INTO quality_metrics (id, project_id, metric_name, metric_value, metric_type)
SELECT md5('qm' || i)::uuid, md5('p' || (i % {projects}))::uuid, 'coverage', 0.5, 'coverage'
FROM generate_series(0, {small} - 1) i;

INSERT INTO question_effectiveness (id, question_id, question_text, effectiveness_score, times_asked)
SELECT md5('qe' || i)::uuid, md5('q' || i)::uuid, 'question ' || i, 0.5, 3
FROM generate_series(0, {small} - 1) i;

INSERT INTO user_behavior_patterns (id, user_id, pattern_type, confidence_score, observation_period)
SELECT md5('ub' || i)::uuid, md5('u' || (i % {users}))::uuid, 'pace', 0.5, 'weekly'
FROM generate_series(0, {small} - 1) i;
