-- The embeddings benchmark's documents and chunks of ~150 words (sizes in braces are filled in by sql::fill).
-- Documents are ingested one after another; a document's chunks are written in its
-- ingest, so they share its created_at (the embeddings keyset breaks those ties by id).
INSERT INTO knowledge_base_documents (id, title, content, embedding, embedding_model, embedded_at, created_at)
     SELECT bench.uuid7(t), 'doc ' || g, 'text', array_fill(0::real, ARRAY[384]), 'precomputed', now(), t
     FROM generate_series(1, {docs}) g, LATERAL (SELECT now() - ({docs} - g) * interval '1 second' AS t) c
     ORDER BY g;
 INSERT INTO document_chunks (id, document_id, chunk_index, content, created_at)
     SELECT bench.uuid7(d.created_at), d.id, k,
            (SELECT string_agg((ARRAY['service','latency','storage','request','cache','queue','report','invoice',
                                      'search','payment','schedule','message','audit','export','import','policy',
                                      'access','review','deploy','metric','alert','budget','backup','mobile',
                                      'web','dashboard','team','users','data','system'])[1 + floor(random() * 30)::int], ' ')
             FROM generate_series(1, 150) w WHERE w > -k),
            d.created_at
     FROM knowledge_base_documents d, generate_series(0, {per} - 1) k
     ORDER BY d.created_at, k;
