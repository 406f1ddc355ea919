-- Reverts 2025-11-11-000019_specs_chunk_storage: the default TOAST target.
-- Rows already written stay as they are; PostgreSQL reads both layouts.

ALTER TABLE document_chunks RESET (toast_tuple_target);
