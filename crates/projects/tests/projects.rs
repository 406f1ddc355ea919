//! The specs domain on real databases.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail by panicking"
)]

use db_core::UserId;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use projects::conversation::{self, Cursor, Message};
use projects::generated::{self, FileInput};
use projects::specifications::{self, SpecInput};
use projects::{ProjectError, conflicts, maturity, quality, questions, sessions};
use serde_json::json;
use specs_db::enums::*;
use specs_db::ids::{ProjectId, SessionId};
use specs_db::schema::{
    conversation_history, maturity_tracking, projects as projects_t, sessions as sessions_t,
    specifications as specs_t,
};
use test_db::{TestDatabase, World, count};

fn world() -> World {
    World::new()
}

fn user(auth: &TestDatabase, email: &str) -> UserId {
    test_db::world::user(&mut auth.conn(), email)
}

/// A project of the world's user, created by the crate under test.
fn project(w: &World) -> ProjectId {
    projects::projects::create(
        &mut w.auth.conn(),
        &mut w.specs.conn(),
        w.user,
        "p",
        Some("a project"),
    )
    .expect("project")
    .id
}

/// Projects: created for existing owners only, phases in order, archive, transfer.
#[test]
fn project_lifecycle() {
    let w = world();
    let (mut a, mut s) = (w.auth.conn(), w.specs.conn());
    let ghost = UserId::new();
    assert!(matches!(
        projects::projects::create(&mut a, &mut s, ghost, "p", None),
        Err(ProjectError::Xdb(cross_db::XdbError::UnknownUser(_)))
    ));
    let p = project(&w);
    use ProjectPhase::*;
    assert!(matches!(
        projects::projects::advance_phase(&mut s, p, Design),
        Err(ProjectError::State(_))
    ));
    for phase in [Analysis, Design, Implementation] {
        assert_eq!(
            projects::projects::advance_phase(&mut s, p, phase)
                .expect("advance")
                .current_phase,
            phase
        );
    }
    assert!(matches!(
        projects::projects::advance_phase(&mut s, p, Discovery),
        Err(ProjectError::State(_))
    ));
    let archived = projects::projects::archive(&mut s, p).expect("archive");
    assert_eq!(archived.status, ProjectStatus::Archived);
    assert!(archived.archived_at.is_some());
    let heir = user(&w.auth, "heir@example.com");
    let moved = projects::projects::transfer(&mut a, &mut s, p, heir).expect("transfer");
    assert_eq!((moved.owner_id, moved.creator_id), (heir, w.user));
    assert!(matches!(
        projects::projects::transfer(&mut a, &mut s, p, ghost),
        Err(ProjectError::Xdb(_))
    ));
    assert_eq!(
        projects::projects::list_owned(&mut s, heir, 10)
            .expect("list")
            .len(),
        1
    );
}

/// Sessions and conversations: appends bump the count, reads page back by keyset.
#[test]
fn sessions_and_conversation() {
    let w = world();
    let (mut a, mut s) = (w.auth.conn(), w.specs.conn());
    let p = project(&w);
    let session = sessions::start(
        &mut a,
        &mut s,
        p,
        w.user,
        SessionMode::Socratic,
        Some("kickoff"),
    )
    .expect("start");
    for i in 0..25 {
        let text = format!("message {i}");
        if i % 2 == 0 {
            let m = Message {
                user: Some(w.user),
                ..Message::new(MessageRole::User, &text)
            };
            conversation::append_by(&mut a, &mut s, session.id, &m).expect("append by user");
        } else {
            conversation::append(
                &mut s,
                session.id,
                &Message::new(MessageRole::Assistant, &text),
            )
            .expect("append");
        }
    }
    let last = conversation::last(&mut s, session.id, 10).expect("last");
    let texts: Vec<&str> = last.iter().map(|m| m.content.as_str()).collect();
    assert_eq!(
        texts,
        (15..25).map(|i| format!("message {i}")).collect::<Vec<_>>()
    );
    let mut cursor = Cursor::from(&last[0]);
    let mut seen = last.len();
    loop {
        let page = conversation::page_before(&mut s, session.id, cursor, 7).expect("page");
        if page.is_empty() {
            break;
        }
        assert!(
            page.windows(2)
                .all(|w| (w[0].created_at, w[0].id) < (w[1].created_at, w[1].id))
        );
        seen += page.len();
        cursor = Cursor::from(&page[0]);
    }
    assert_eq!(seen, 25);
    let count_cached: i32 = sessions_t::table
        .find(session.id)
        .select(sessions_t::message_count)
        .first(&mut s)
        .expect("session");
    assert_eq!(count_cached, 25);
    assert!(matches!(
        conversation::append(
            &mut s,
            session.id,
            &Message {
                user: Some(w.user),
                ..Message::new(MessageRole::User, "x")
            }
        ),
        Err(ProjectError::Invalid { field: "user", .. })
    ));
    sessions::set_mode(&mut s, session.id, SessionMode::DirectChat).expect("mode");
    sessions::end(&mut s, session.id).expect("end");
    assert!(matches!(
        conversation::append(
            &mut s,
            session.id,
            &Message::new(MessageRole::Assistant, "late")
        ),
        Err(ProjectError::State(_))
    ));
    assert!(matches!(
        conversation::append(
            &mut s,
            SessionId::new(),
            &Message::new(MessageRole::Assistant, "nowhere")
        ),
        Err(ProjectError::NotFound("session"))
    ));
    // Refused appends changed nothing: neither the messages nor the count.
    let (cached, real): (i32, i64) = (
        sessions_t::table
            .find(session.id)
            .select(sessions_t::message_count)
            .first(&mut s)
            .expect("session"),
        conversation_history::table
            .filter(conversation_history::session_id.eq(session.id))
            .count()
            .get_result(&mut s)
            .expect("count"),
    );
    assert_eq!((i64::from(cached), real), (25, 25));
    assert!(matches!(
        sessions::end(&mut s, session.id),
        Err(ProjectError::State(_))
    ));
}

/// Concurrent appends to one session: message_count equals the real count.
#[test]
fn message_count_survives_concurrent_appends() {
    let w = world();
    let p = project(&w);
    let session = sessions::start(
        &mut w.auth.conn(),
        &mut w.specs.conn(),
        p,
        w.user,
        SessionMode::Socratic,
        None,
    )
    .expect("start");
    std::thread::scope(|scope| {
        for t in 0..8 {
            let specs = &w.specs;
            scope.spawn(move || {
                let mut conn = specs.connect();
                for i in 0..40 {
                    let text = format!("t{t} m{i}");
                    conversation::append(
                        &mut conn,
                        session.id,
                        &Message::new(MessageRole::Assistant, &text),
                    )
                    .expect("append");
                }
            });
        }
    });
    let mut s = w.specs.conn();
    let cached: i32 = sessions_t::table
        .find(session.id)
        .select(sessions_t::message_count)
        .first(&mut s)
        .expect("session");
    let real = count(
        &mut s,
        &format!(
            "SELECT count(*) AS n FROM conversation_history WHERE session_id = '{}'",
            session.id
        ),
    );
    assert_eq!((i64::from(cached), real), (320, 320));
    // Times follow the append order: each thread's messages read back in its order.
    let all = conversation::last(&mut s, session.id, 1000).expect("all");
    for t in 0..8 {
        let mine: Vec<&str> = all
            .iter()
            .map(|m| m.content.as_str())
            .filter(|c| c.starts_with(&format!("t{t} ")))
            .collect();
        let expected: Vec<String> = (0..40).map(|i| format!("t{t} m{i}")).collect();
        assert_eq!(mine, expected);
    }
}

/// Questions: asked, then answered or skipped, once.
#[test]
fn questions() {
    let w = world();
    let mut s = w.specs.conn();
    let p = project(&w);
    let ask = |text| questions::Ask {
        text,
        category: SpecCategory::Security,
        priority: QuestionPriority::High,
        context: Some("auth matters"),
        session: None,
    };
    let q1 = questions::ask(&mut s, p, &ask("How do users log in?")).expect("ask");
    let q2 = questions::ask(&mut s, p, &ask("Do you need SSO?")).expect("ask");
    assert_eq!(questions::pending(&mut s, p).expect("pending").len(), 2);
    assert_eq!(
        questions::answer(&mut s, q1.id, "E-mail and password")
            .expect("answer")
            .status,
        QuestionStatus::Answered
    );
    assert!(matches!(
        questions::answer(&mut s, q1.id, "again"),
        Err(ProjectError::State(_))
    ));
    assert_eq!(
        questions::skip(&mut s, q2.id).expect("skip").status,
        QuestionStatus::Skipped
    );
    assert!(matches!(
        questions::ask(&mut s, ProjectId::new(), &ask("orphan?")),
        Err(ProjectError::NotFound(_))
    ));
}

/// Specifications: version 1, then supersedes linked both ways; current and history.
#[test]
fn specification_versions() {
    let w = world();
    let mut s = w.specs.conn();
    let p = project(&w);
    let v1 = specifications::add(
        &mut s,
        p,
        &SpecInput::new(SpecCategory::TechStack, "database", "PostgreSQL 15"),
    )
    .expect("add");
    assert_eq!((v1.version, v1.is_current), (1, true));
    assert!(matches!(
        specifications::add(
            &mut s,
            p,
            &SpecInput::new(SpecCategory::TechStack, "database", "MySQL")
        ),
        Err(ProjectError::State(_))
    ));
    let v2 = specifications::supersede(
        &mut s,
        p,
        &SpecInput {
            status: SpecStatus::Approved,
            ..SpecInput::new(SpecCategory::TechStack, "database", "PostgreSQL 16")
        },
    )
    .expect("supersede");
    assert_eq!(v2.version, 2);
    assert_eq!(v2.metadata["supersedes"], json!(v1.id));
    let history =
        specifications::history(&mut s, p, SpecCategory::TechStack, "database").expect("history");
    assert_eq!(history.len(), 2);
    assert_eq!(
        (history[0].is_current, history[0].superseded_by),
        (false, Some(v2.id))
    );
    assert!(history[0].superseded_at.is_some());
    let current = specifications::current(&mut s, p, SpecCategory::TechStack).expect("current");
    assert_eq!(
        current.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![v2.id]
    );
    assert!(matches!(
        specifications::supersede(
            &mut s,
            p,
            &SpecInput::new(SpecCategory::TechStack, "cache", "Redis")
        ),
        Err(ProjectError::NotFound(_))
    ));
    assert!(matches!(
        specifications::add(
            &mut s,
            p,
            &SpecInput {
                confidence: Some(1.5),
                ..SpecInput::new(SpecCategory::Goals, "g", "x")
            }
        ),
        Err(ProjectError::Invalid {
            field: "confidence",
            ..
        })
    ));
}

/// Concurrent supersedes of one key: one current version, versions 1..n with no gap.
#[test]
fn one_current_version_after_concurrent_supersedes() {
    let w = world();
    let p = project(&w);
    specifications::add(
        &mut w.specs.conn(),
        p,
        &SpecInput::new(SpecCategory::Performance, "latency", "v1"),
    )
    .expect("add");
    std::thread::scope(|scope| {
        for t in 0..8 {
            let specs = &w.specs;
            scope.spawn(move || {
                let mut conn = specs.connect();
                for i in 0..10 {
                    let value = format!("t{t} v{i}");
                    specifications::supersede(
                        &mut conn,
                        p,
                        &SpecInput::new(SpecCategory::Performance, "latency", &value),
                    )
                    .expect("supersede");
                }
            });
        }
    });
    let history =
        specifications::history(&mut w.specs.conn(), p, SpecCategory::Performance, "latency")
            .expect("history");
    assert_eq!(history.len(), 81);
    assert_eq!(
        history.iter().map(|h| h.version).collect::<Vec<_>>(),
        (1..=81).collect::<Vec<_>>()
    );
    assert_eq!(history.iter().filter(|h| h.is_current).count(), 1);
    assert!(history.last().expect("newest").is_current);
    for pair in history.windows(2) {
        assert_eq!(
            pair[0].superseded_by,
            Some(pair[1].id),
            "version {} points at its successor",
            pair[0].version
        );
    }
}

/// Conflicts: specs of the project only; resolve/ignore once; a deleted spec leaves every array.
#[test]
fn conflicts_and_spec_deletion() {
    let w = world();
    let mut s = w.specs.conn();
    let p = project(&w);
    let other = project(&w);
    let a = specifications::add(
        &mut s,
        p,
        &SpecInput::new(SpecCategory::Requirements, "users", "100"),
    )
    .expect("add");
    let b = specifications::add(
        &mut s,
        p,
        &SpecInput::new(SpecCategory::Scalability, "users", "1M"),
    )
    .expect("add");
    let foreign = specifications::add(
        &mut s,
        other,
        &SpecInput::new(SpecCategory::Goals, "g", "x"),
    )
    .expect("add");
    fn detected(ids: &[specs_db::ids::SpecificationId]) -> conflicts::Detected<'_> {
        conflicts::Detected {
            title: Some("scale"),
            description: "100 users vs 1M users",
            conflict_type: ConflictType::Requirement,
            severity: ConflictSeverity::High,
            spec_ids: ids,
        }
    }
    assert!(matches!(
        conflicts::open(&mut s, p, &detected(&[a.id, foreign.id])),
        Err(ProjectError::Invalid { .. })
    ));
    let c1 = conflicts::open(&mut s, p, &detected(&[a.id, b.id])).expect("open");
    let c2 = conflicts::open(&mut s, p, &detected(&[a.id])).expect("open");
    assert_eq!(conflicts::open_in(&mut s, p).expect("open").len(), 2);
    assert_eq!(
        conflicts::touching(&mut s, a.id).expect("touching").len(),
        2
    );
    conflicts::resolve(&mut s, c1.id, "1M it is", true).expect("resolve");
    assert!(matches!(
        conflicts::ignore(&mut s, c1.id),
        Err(ProjectError::State(_))
    ));
    conflicts::ignore(&mut s, c2.id).expect("ignore");

    let generation = generated::start(&mut s, p, "app", Some("rust"), None).expect("generation");
    generated::add_file(
        &mut s,
        generation.id,
        &FileInput {
            path: "src/main.rs",
            content: "fn main() {}\n",
            file_type: Some("rust"),
            purpose: None,
            spec_ids: &[a.id, b.id],
        },
    )
    .expect("file");
    specifications::delete(&mut s, a.id).expect("delete");
    assert!(
        conflicts::touching(&mut s, a.id)
            .expect("touching")
            .is_empty()
    );
    assert!(
        generated::files_for(&mut s, a.id)
            .expect("files")
            .is_empty()
    );
    assert_eq!(generated::files_for(&mut s, b.id).expect("files").len(), 1);
    assert!(matches!(
        specifications::delete(&mut s, a.id),
        Err(ProjectError::NotFound(_))
    ));
}

/// Generated code: numbered generations; files traced to specs; counters kept.
#[test]
fn generated_code() {
    let w = world();
    let mut s = w.specs.conn();
    let p = project(&w);
    let spec = specifications::add(
        &mut s,
        p,
        &SpecInput::new(SpecCategory::Goals, "mvp", "ship"),
    )
    .expect("add");
    let g1 = generated::start(&mut s, p, "app", Some("rust"), Some("axum")).expect("start");
    let g2 = generated::start(&mut s, p, "app", Some("rust"), Some("axum")).expect("start");
    assert_eq!((g1.generation_version, g2.generation_version), (1, 2));
    let files = [
        ("src/main.rs", "fn main() {\n\n    run();\n}\n"),
        ("src/lib.rs", "pub fn run() {}\n"),
    ];
    for (path, content) in files {
        generated::add_file(
            &mut s,
            g1.id,
            &FileInput {
                path,
                content,
                file_type: Some("rust"),
                purpose: Some("entry"),
                spec_ids: &[spec.id],
            },
        )
        .expect("add");
    }
    assert!(matches!(
        generated::add_file(
            &mut s,
            g1.id,
            &FileInput {
                path: "src/lib.rs",
                content: "",
                file_type: None,
                purpose: None,
                spec_ids: &[]
            }
        ),
        Err(ProjectError::State(_))
    ));
    let done = generated::finish(&mut s, g1.id, None).expect("finish");
    assert_eq!(
        (done.file_count, done.total_lines_of_code, done.status),
        (2, 4, GenerationStatus::Completed)
    );
    assert!(matches!(
        generated::add_file(
            &mut s,
            g1.id,
            &FileInput {
                path: "late.rs",
                content: "x",
                file_type: None,
                purpose: None,
                spec_ids: &[]
            }
        ),
        Err(ProjectError::State(_))
    ));
    assert_eq!(
        generated::finish(&mut s, g2.id, Some("compiler exploded"))
            .expect("fail")
            .status,
        GenerationStatus::Failed
    );
    assert_eq!(
        generated::files_for(&mut s, spec.id).expect("traced").len(),
        2
    );
}

/// Maturity: scores stay in range, recording twice changes nothing, and the SQL
/// statement gives the same overall scores as the Rust formula.
#[test]
fn maturity_scores() {
    let w = world();
    let mut s = w.specs.conn();
    let mut ids = Vec::new();
    for n in 0..6usize {
        let p = project(&w);
        for (i, category) in SpecCategory::ALL.iter().enumerate().take(n * 2 + 1) {
            let status = SpecStatus::ALL[(i + n) % 4];
            for k in 0..(i % 4 + 1) {
                let key = format!("k{k}");
                let input = SpecInput {
                    status,
                    confidence: (k % 2 == 1).then_some(0.5),
                    maturity_score: if k == 3 { 60.0 } else { 0.0 },
                    ..SpecInput::new(*category, &key, "v")
                };
                specifications::add(&mut s, p, &input).expect("spec");
            }
        }
        ids.push(p);
    }
    let mut rust = Vec::new();
    for p in &ids {
        let scores = maturity::recompute(&mut s, *p).expect("recompute");
        assert!(
            scores.categories.iter().all(|c| (0.0..=100.0).contains(c)),
            "{scores:?}"
        );
        assert!((0.0..=100.0).contains(&scores.overall));
        rust.push(scores.overall);
    }
    let tracked: i64 = maturity_tracking::table
        .count()
        .get_result(&mut s)
        .expect("count");
    assert!(tracked > 0);
    for p in &ids {
        maturity::recompute(&mut s, *p).expect("again");
    }
    assert_eq!(
        maturity_tracking::table
            .count()
            .get_result::<i64>(&mut s)
            .expect("count"),
        tracked,
        "a second run records nothing"
    );

    s.batch_execute("UPDATE projects SET maturity_score = 0")
        .expect("reset");
    s.batch_execute(maturity::UPDATE_ALL_SQL)
        .expect("sql formula");
    let sql: Vec<f64> = ids
        .iter()
        .map(|p| {
            projects_t::table
                .find(*p)
                .select(projects_t::maturity_score)
                .first(&mut s)
                .expect("score")
        })
        .collect();
    assert_eq!(sql, rust, "SQL and Rust agree to four places");
    let spec_count: i64 = specs_t::table.count().get_result(&mut s).expect("count");
    assert!(spec_count > 20);
}

/// Quality metrics and test runs.
#[test]
fn quality_and_tests() {
    let w = world();
    let mut s = w.specs.conn();
    let p = project(&w);
    quality::record(
        &mut s,
        p,
        "coverage",
        MetricType::Coverage,
        0.62,
        Some(0.8),
        None,
    )
    .expect("record");
    let m = quality::record(
        &mut s,
        p,
        "coverage",
        MetricType::Coverage,
        0.85,
        Some(0.8),
        Some(&json!({"files": 12})),
    )
    .expect("record");
    assert_eq!(m.passed, Some(true));
    assert_eq!(
        quality::latest(&mut s, p, "coverage")
            .expect("latest")
            .map(|l| l.id),
        Some(m.id)
    );
    assert!(matches!(
        quality::record(&mut s, p, "x", MetricType::Other, f64::NAN, None, None),
        Err(ProjectError::Invalid { .. })
    ));
    let run = quality::start_test(
        &mut s,
        p,
        TestType::Compatibility,
        &json!({"postgres": "15"}),
    )
    .expect("start");
    let done = quality::complete_test(&mut s, run.id, &json!({"ok": 12}), None).expect("complete");
    assert_eq!(done.status, TestStatus::Passed);
    assert!(matches!(
        quality::complete_test(&mut s, run.id, &json!({}), Some("late")),
        Err(ProjectError::State(_))
    ));
}
