DROP TRIGGER trg_knowledge_base_documents_search_visibility ON knowledge_base_documents;
DROP FUNCTION knowledge_search_visibility();
DROP TABLE document_chunk_codes;
DROP TABLE knowledge_search_lists;
DROP FUNCTION knowledge_code(real[]);
