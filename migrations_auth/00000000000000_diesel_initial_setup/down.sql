-- This file was automatically created by Diesel to setup helper functions
-- and other internal bookkeeping. This file is safe to edit, any future
-- changes will be added to existing projects as new migrations.
--
-- SCHEMA.md section 2.2: down.sql uses no IF EXISTS (a missing function is an error).

DROP FUNCTION diesel_set_updated_at();
DROP FUNCTION diesel_manage_updated_at(_tbl regclass);
