-- Keeps a chunk's row, text and embedding together, uncompressed.
--
-- A chunk row (a few hundred words plus a 384-float embedding, about 2.6 kB)
-- passes the default TOAST threshold of about 2 kB, so every write of an
-- embedding made PostgreSQL try to compress the floats (which do not compress)
-- and then move them out of line: half the cost of an embeddings backfill, and
-- an extra TOAST fetch per chunk in every similarity search. Chunks are bounded
-- (knowledge::chunking packs at most 200 tokens by default), so raising the
-- target to the page size keeps them inline; an oversized row is still toasted.
-- Group 018 is reserved for the optional pgvector group (SCHEMA.md 2.4).

ALTER TABLE document_chunks SET (toast_tuple_target = 8160);
