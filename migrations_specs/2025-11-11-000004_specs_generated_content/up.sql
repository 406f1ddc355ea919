-- 2025-11-11-000004_specs_generated_content: generated_projects, generated_files (socrates_specs; see docs/SCHEMA.md)

CREATE TABLE generated_projects (
    id                      uuid NOT NULL DEFAULT gen_random_uuid(),
    project_id              uuid NOT NULL,
    generation_version      integer NOT NULL DEFAULT 1,
    name                    varchar(255) NOT NULL,
    description             text,
    language                varchar(50),
    framework               varchar(100),
    version                 varchar(20),
    status                  varchar(20) NOT NULL DEFAULT 'pending',
    file_count              integer NOT NULL DEFAULT 0,
    total_lines_of_code     integer NOT NULL DEFAULT 0,
    test_coverage           float8,
    quality_score           float8,
    traceability_score      float8,
    download_url            text,
    structure               jsonb NOT NULL DEFAULT '{}'::jsonb,
    configuration           jsonb NOT NULL DEFAULT '{}'::jsonb,
    metadata                jsonb NOT NULL DEFAULT '{}'::jsonb,
    generation_started_at   timestamptz,
    generation_completed_at timestamptz,
    error_message           text,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT generated_projects_pkey PRIMARY KEY (id),
    CONSTRAINT uq_generated_projects_project_id_generation_version UNIQUE (project_id, generation_version),
    CONSTRAINT ck_generated_projects_status CHECK (status IN ('pending', 'in_progress', 'completed', 'failed')),
    CONSTRAINT ck_generated_projects_generation_version_range CHECK (generation_version >= 1),
    CONSTRAINT ck_generated_projects_counts CHECK (file_count >= 0 AND total_lines_of_code >= 0),
    CONSTRAINT ck_generated_projects_scores_range CHECK ((test_coverage IS NULL OR test_coverage BETWEEN 0 AND 100) AND (quality_score IS NULL OR quality_score BETWEEN 0 AND 100) AND (traceability_score IS NULL OR traceability_score BETWEEN 0 AND 100)),
    CONSTRAINT fk_generated_projects_project_id FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
);

CREATE INDEX idx_generated_projects_status ON generated_projects (status);
CREATE INDEX idx_generated_projects_generation_completed_at ON generated_projects (generation_completed_at DESC);

SELECT diesel_manage_updated_at('generated_projects');

COMMENT ON TABLE generated_projects IS 'one code-generation run (output project) for a project.';
COMMENT ON COLUMN generated_projects.id IS 'primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)';
COMMENT ON COLUMN generated_projects.project_id IS 'source project';
COMMENT ON COLUMN generated_projects.generation_version IS 'nth generation of this project';
COMMENT ON COLUMN generated_projects.name IS 'output project name';
COMMENT ON COLUMN generated_projects.description IS 'output project description';
COMMENT ON COLUMN generated_projects.language IS 'main language (free text)';
COMMENT ON COLUMN generated_projects.framework IS 'main framework (free text)';
COMMENT ON COLUMN generated_projects.version IS 'version label of the generated code';
COMMENT ON COLUMN generated_projects.status IS 'generation state; one of: pending, in_progress, completed, failed';
COMMENT ON COLUMN generated_projects.file_count IS 'number of generated files';
COMMENT ON COLUMN generated_projects.total_lines_of_code IS 'lines of code over all generated files';
COMMENT ON COLUMN generated_projects.test_coverage IS 'percent 0–100';
COMMENT ON COLUMN generated_projects.quality_score IS '0–100';
COMMENT ON COLUMN generated_projects.traceability_score IS 'percent of specs implemented';
COMMENT ON COLUMN generated_projects.download_url IS 'archive location';
COMMENT ON COLUMN generated_projects.structure IS 'directory tree';
COMMENT ON COLUMN generated_projects.configuration IS 'generator settings';
COMMENT ON COLUMN generated_projects.metadata IS 'free-form metadata (JSON object)';
COMMENT ON COLUMN generated_projects.generation_started_at IS 'generation start';
COMMENT ON COLUMN generated_projects.generation_completed_at IS 'generation end';
COMMENT ON COLUMN generated_projects.error_message IS 'failure reason';
COMMENT ON COLUMN generated_projects.created_at IS 'row creation time';
COMMENT ON COLUMN generated_projects.updated_at IS 'last modification time; maintained by trigger set_updated_at';

CREATE TABLE generated_files (
    id                   uuid NOT NULL DEFAULT gen_random_uuid(),
    generated_project_id uuid NOT NULL,
    file_path            varchar(500) NOT NULL,
    filename             varchar(255) NOT NULL,
    file_type            varchar(50),
    content              text,
    file_size            bigint,
    lines_of_code        integer,
    purpose              varchar(255),
    status               varchar(20) NOT NULL DEFAULT 'draft',
    spec_ids             uuid[] NOT NULL DEFAULT '{}'::uuid[],
    metadata             jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT generated_files_pkey PRIMARY KEY (id),
    CONSTRAINT uq_generated_files_generated_project_id_file_path UNIQUE (generated_project_id, file_path),
    CONSTRAINT ck_generated_files_status CHECK (status IN ('draft', 'generated', 'reviewed', 'approved')),
    CONSTRAINT ck_generated_files_counts CHECK ((file_size IS NULL OR file_size >= 0) AND (lines_of_code IS NULL OR lines_of_code >= 0)),
    CONSTRAINT fk_generated_files_generated_project_id FOREIGN KEY (generated_project_id) REFERENCES generated_projects (id) ON DELETE CASCADE
);

CREATE INDEX idx_generated_files_status ON generated_files (status);
CREATE INDEX idx_generated_files_spec_ids ON generated_files USING gin (spec_ids);

SELECT diesel_manage_updated_at('generated_files');

COMMENT ON TABLE generated_files IS 'one file of a generated project, with traceability to specifications.';
COMMENT ON COLUMN generated_files.id IS 'primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)';
COMMENT ON COLUMN generated_files.generated_project_id IS 'generation run the file belongs to';
COMMENT ON COLUMN generated_files.file_path IS 'path inside the generated project';
COMMENT ON COLUMN generated_files.filename IS 'base name';
COMMENT ON COLUMN generated_files.file_type IS 'language/extension (free text)';
COMMENT ON COLUMN generated_files.content IS 'file content';
COMMENT ON COLUMN generated_files.file_size IS 'bytes';
COMMENT ON COLUMN generated_files.lines_of_code IS 'lines of code in the file';
COMMENT ON COLUMN generated_files.purpose IS 'why the file exists';
COMMENT ON COLUMN generated_files.status IS 'review state; one of: draft, generated, reviewed, approved';
COMMENT ON COLUMN generated_files.spec_ids IS 'specifications implemented (no FK)';
COMMENT ON COLUMN generated_files.metadata IS 'free-form metadata (JSON object)';
COMMENT ON COLUMN generated_files.created_at IS 'row creation time';
COMMENT ON COLUMN generated_files.updated_at IS 'last modification time; maintained by trigger set_updated_at';
