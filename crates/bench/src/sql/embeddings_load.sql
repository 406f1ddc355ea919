-- The embeddings benchmark's documents and chunks of ~150 words (sizes in braces are filled in by sql::fill).
INSERT INTO knowledge_base_documents (id, title, content, embedding, embedding_model, embedded_at)
     SELECT gen_random_uuid(), 'doc ' || g, 'text', array_fill(0::real, ARRAY[384]), 'precomputed', now()
     FROM generate_series(1, {docs}) g;
 INSERT INTO document_chunks (id, document_id, chunk_index, content, created_at)
     SELECT gen_random_uuid(), d.id, k,
            (SELECT string_agg((ARRAY['service','latency','storage','request','cache','queue','report','invoice',
                                      'search','payment','schedule','message','audit','export','import','policy',
                                      'access','review','deploy','metric','alert','budget','backup','mobile',
                                      'web','dashboard','team','users','data','system'])[1 + floor(random() * 30)::int], ' ')
             FROM generate_series(1, 150) w WHERE w > -k),
            now() - k * interval '1 millisecond'
     FROM knowledge_base_documents d, generate_series(0, {per} - 1) k;
