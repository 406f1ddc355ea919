//! `chunks`: documents with text and no chunks, chunked (knowledge::chunking).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use knowledge::chunking::{Chunk, ChunkOptions, chunk};
use knowledge::documents::chunk_rows;
use rayon::prelude::*;
use specs_db::ids::{KnowledgeDocumentId, ProjectId};
use specs_db::schema::{document_chunks, knowledge_base_documents};

use cross_db::Present;

use crate::cursor::after_time_id;
use crate::runner::{Dbs, Phase, Side};
use crate::{JobError, cursor};

/// Keyset on `(created_at, id)` over documents never chunked.
#[derive(Default)]
pub(super) struct Chunks {
    options: ChunkOptions,
}

type Doc = (
    KnowledgeDocumentId,
    DateTime<Utc>,
    Option<ProjectId>,
    String,
);
type DocRow = (
    KnowledgeDocumentId,
    DateTime<Utc>,
    Option<ProjectId>,
    Option<String>,
);

/// Documents without a single chunk.
#[diesel::dsl::auto_type]
fn never_chunked() -> _ {
    diesel::dsl::not(diesel::dsl::exists(
        document_chunks::table
            .filter(document_chunks::document_id.eq(knowledge_base_documents::id)),
    ))
}

impl Phase for Chunks {
    type Item = Doc;
    type Out = Vec<(KnowledgeDocumentId, Option<ProjectId>, Vec<Chunk>)>;

    fn name(&self) -> String {
        "backfill:chunks".into()
    }

    fn side(&self) -> Side {
        Side::Specs
    }

    fn disjoint_batches(&self) -> bool {
        true
    }

    fn total(&self, dbs: &mut Dbs) -> Result<Option<i64>, JobError> {
        Ok(Some(
            knowledge_base_documents::table
                .filter(knowledge_base_documents::content.is_not_null())
                .filter(never_chunked())
                .count()
                .get_result(&mut dbs.specs)?,
        ))
    }

    fn fetch(&self, dbs: &mut Dbs, after: Option<&str>, limit: i64) -> Result<Vec<Doc>, JobError> {
        use knowledge_base_documents::dsl as d;
        let query = d::knowledge_base_documents
            .filter(d::content.is_not_null())
            .filter(never_chunked())
            .into_boxed();
        let query = after_time_id!(
            query,
            cursor::time_id(after)?,
            d::created_at,
            d::id,
            KnowledgeDocumentId
        );
        let rows: Vec<DocRow> = query
            .order((d::created_at, d::id))
            .limit(limit)
            .select((d::id, d::created_at, d::project_id, d::content))
            .load(&mut dbs.specs)?;
        Ok(rows
            .into_iter()
            .map(|(id, at, project, content)| (id, at, project, content.unwrap_or_default()))
            .collect())
    }

    fn cursor(&self, item: &Doc) -> String {
        cursor::format_time_id(item.1, item.0.into_uuid())
    }

    fn compute(&self, items: Vec<Doc>) -> Result<Self::Out, JobError> {
        Ok(items
            .into_par_iter()
            .map(|(id, _, project, text)| (id, project, chunk(&text, self.options)))
            .collect())
    }

    fn write(
        &self,
        conn: &mut PgConnection,
        out: &Self::Out,
        _: &Present,
    ) -> Result<u64, JobError> {
        let rows: Vec<_> = out
            .iter()
            .flat_map(|(id, project, chunks)| chunk_rows(*id, *project, chunks))
            .collect();
        // Under PostgreSQL's 65,535 bind parameters per statement.
        for part in rows.chunks(4_000) {
            diesel::insert_into(document_chunks::table)
                .values(part)
                .execute(conn)?;
        }
        Ok(rows.len() as u64)
    }
}
