//! `maturity`: every project's maturity, recomputed (projects::maturity).

use ::projects::maturity::{self, Scores, SpecPoints};
use diesel::prelude::*;
use rayon::prelude::*;
use specs_db::ids::ProjectId;
use specs_db::schema::projects;

use cross_db::Present;

use crate::runner::{Dbs, Phase, Side};
use crate::{JobError, cursor};

/// Keyset over project ids; an item is a project with its current specifications.
pub(super) struct Maturity;

impl Phase for Maturity {
    type Item = (ProjectId, Vec<SpecPoints>);
    type Out = Vec<Scores>;

    fn name(&self) -> String {
        "backfill:maturity".into()
    }

    fn side(&self) -> Side {
        Side::Specs
    }

    fn disjoint_batches(&self) -> bool {
        true
    }

    fn total(&self, dbs: &mut Dbs) -> Result<Option<i64>, JobError> {
        Ok(Some(projects::table.count().get_result(&mut dbs.specs)?))
    }

    fn fetch(
        &self,
        dbs: &mut Dbs,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Self::Item>, JobError> {
        let after: ProjectId = cursor::id(after)?;
        let ids: Vec<ProjectId> = projects::table
            .filter(projects::id.gt(after))
            .order(projects::id)
            .limit(limit)
            .select(projects::id)
            .load(&mut dbs.specs)?;
        let mut inputs = maturity::load(&mut dbs.specs, &ids)?;
        Ok(ids
            .into_iter()
            .map(|id| (id, inputs.remove(&id).unwrap_or_default()))
            .collect())
    }

    fn cursor(&self, item: &Self::Item) -> String {
        item.0.to_string()
    }

    fn compute(&self, items: Vec<Self::Item>) -> Result<Vec<Scores>, JobError> {
        Ok(items
            .par_iter()
            .map(|(id, specs)| maturity::compute(*id, specs))
            .collect())
    }

    fn write(
        &self,
        conn: &mut PgConnection,
        out: &Vec<Scores>,
        _: &Present,
    ) -> Result<u64, JobError> {
        let plan = maturity::plan(conn, out)?;
        Ok(maturity::apply(conn, &plan)? as u64)
    }
}
