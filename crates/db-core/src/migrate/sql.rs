//! Just enough SQL reading to know what a migration creates and destroys.
//!
//! The runner never rewrites SQL; it only reads it to find the tables an `up.sql`
//! creates (the identity guard) and the tables, columns and rows a `down.sql`
//! would destroy (the rollback guard). The tokenizer respects quoted strings,
//! quoted identifiers, dollar-quoted bodies and both comment styles, so a `;` or
//! `DROP TABLE` inside a function body or a comment is never mistaken for a statement.

/// One lexical token; unquoted words are lowercased, as PostgreSQL folds them.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    /// An identifier or keyword; `quoted` words keep their case.
    Word { text: String, quoted: bool },
    /// A string literal or dollar-quoted body (content is irrelevant here).
    Literal,
    /// Any single punctuation character.
    Punct(char),
}

/// What a destructive statement removes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destruction {
    /// `DROP TABLE t`: every row of `t`.
    Table(String),
    /// `ALTER TABLE t DROP COLUMN c`: every non-NULL value of `t.c`.
    Column {
        /// The table.
        table: String,
        /// The dropped column.
        column: String,
    },
    /// `TRUNCATE t` or `DELETE FROM t`: rows of `t`.
    Rows(String),
    /// `DROP SCHEMA s`: every table in `s`.
    Schema(String),
}

/// Splits SQL into statements of tokens; comments and whitespace are dropped.
fn statements(sql: &str) -> Vec<Vec<Token>> {
    let chars: Vec<char> = sql.chars().collect();
    let mut out = Vec::new();
    let mut current = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            _ if c.is_whitespace() => i += 1,
            '-' if chars.get(i + 1) == Some(&'-') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '/' if chars.get(i + 1) == Some(&'*') => {
                // Block comments nest in PostgreSQL.
                let mut depth = 0usize;
                while i < chars.len() {
                    if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                        depth += 1;
                        i += 2;
                    } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
            }
            '\'' => {
                i += 1;
                while i < chars.len() {
                    if chars[i] == '\'' {
                        if chars.get(i + 1) == Some(&'\'') {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
                i += 1;
                current.push(Token::Literal);
            }
            '"' => {
                let mut text = String::new();
                i += 1;
                while i < chars.len() {
                    if chars[i] == '"' {
                        if chars.get(i + 1) == Some(&'"') {
                            text.push('"');
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    text.push(chars[i]);
                    i += 1;
                }
                i += 1;
                current.push(Token::Word { text, quoted: true });
            }
            '$' if dollar_tag(&chars, i).is_some() => {
                let tag = dollar_tag(&chars, i).unwrap_or_default();
                i += tag.len();
                let tag_chars: Vec<char> = tag.chars().collect();
                while i < chars.len() && !chars[i..].starts_with(&tag_chars) {
                    i += 1;
                }
                i += tag_chars.len();
                current.push(Token::Literal);
            }
            ';' => {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
                i += 1;
            }
            _ if c.is_alphanumeric() || c == '_' => {
                let start = i;
                while i < chars.len()
                    && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '$')
                {
                    i += 1;
                }
                let text: String = chars[start..i].iter().collect::<String>().to_lowercase();
                current.push(Token::Word {
                    text,
                    quoted: false,
                });
            }
            _ => {
                current.push(Token::Punct(c));
                i += 1;
            }
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// The opening `$tag$` at `i`, if one starts there.
fn dollar_tag(chars: &[char], i: usize) -> Option<String> {
    let mut j = i + 1;
    while j < chars.len() && (chars[j].is_alphanumeric() || chars[j] == '_') {
        if j == i + 1 && chars[j].is_ascii_digit() {
            return None; // $1 is a parameter, not a tag
        }
        j += 1;
    }
    (chars.get(j) == Some(&'$')).then(|| chars[i..=j].iter().collect())
}

/// A cursor over one statement's tokens.
struct Cursor<'t> {
    tokens: &'t [Token],
    pos: usize,
}

impl<'t> Cursor<'t> {
    fn new(tokens: &'t [Token]) -> Self {
        Self { tokens, pos: 0 }
    }

    /// Consumes the keyword sequence if it is next (unquoted words only).
    fn eat(&mut self, words: &[&str]) -> bool {
        let matches = words.iter().enumerate().all(|(k, w)| {
            matches!(self.tokens.get(self.pos + k), Some(Token::Word { text, quoted: false }) if text == w)
        });
        if matches {
            self.pos += words.len();
        }
        matches
    }

    fn eat_punct(&mut self, c: char) -> bool {
        let matches = self.tokens.get(self.pos) == Some(&Token::Punct(c));
        if matches {
            self.pos += 1;
        }
        matches
    }

    /// A possibly schema-qualified name, rendered as SQL (quoted parts re-quoted).
    fn name(&mut self) -> Option<String> {
        let mut parts = Vec::new();
        loop {
            match self.tokens.get(self.pos) {
                Some(Token::Word { text, quoted }) => {
                    parts.push(if *quoted {
                        crate::dburl::quote_ident(text)
                    } else {
                        text.clone()
                    });
                    self.pos += 1;
                }
                _ => return None,
            }
            if !self.eat_punct('.') {
                return Some(parts.join("."));
            }
        }
    }

    /// Skips to just after the next top-level comma; false at the end of the statement.
    fn skip_past_comma(&mut self) -> bool {
        let mut depth = 0i32;
        while let Some(tok) = self.tokens.get(self.pos) {
            self.pos += 1;
            match tok {
                Token::Punct('(') => depth += 1,
                Token::Punct(')') => depth -= 1,
                Token::Punct(',') if depth == 0 => return true,
                _ => {}
            }
        }
        false
    }
}

/// Tables that `sql` creates with `CREATE TABLE`, in order.
pub fn created_tables(sql: &str) -> Vec<String> {
    let mut out = Vec::new();
    for stmt in statements(sql) {
        let mut cur = Cursor::new(&stmt);
        if !cur.eat(&["create"]) {
            continue;
        }
        for modifier in ["global", "local", "temporary", "temp", "unlogged"] {
            cur.eat(&[modifier]);
        }
        if cur.eat(&["table"]) {
            cur.eat(&["if", "not", "exists"]);
            if let Some(name) = cur.name() {
                out.push(name);
            }
        }
    }
    out
}

/// Functions that `sql` creates with `CREATE [OR REPLACE] FUNCTION`, in order.
pub fn created_functions(sql: &str) -> Vec<String> {
    let mut out = Vec::new();
    for stmt in statements(sql) {
        let mut cur = Cursor::new(&stmt);
        if !cur.eat(&["create"]) {
            continue;
        }
        cur.eat(&["or", "replace"]);
        if cur.eat(&["function"])
            && let Some(name) = cur.name()
        {
            out.push(name);
        }
    }
    out
}

/// Everything `sql` would destroy, statement by statement.
pub fn destructions(sql: &str) -> Vec<Destruction> {
    let mut out = Vec::new();
    for stmt in statements(sql) {
        let mut cur = Cursor::new(&stmt);
        if cur.eat(&["drop", "table"]) {
            cur.eat(&["if", "exists"]);
            while let Some(name) = cur.name() {
                out.push(Destruction::Table(name));
                if !cur.eat_punct(',') {
                    break;
                }
            }
        } else if cur.eat(&["drop", "schema"]) {
            cur.eat(&["if", "exists"]);
            while let Some(name) = cur.name() {
                out.push(Destruction::Schema(name));
                if !cur.eat_punct(',') {
                    break;
                }
            }
        } else if cur.eat(&["truncate"]) {
            cur.eat(&["table"]);
            cur.eat(&["only"]);
            while let Some(name) = cur.name() {
                out.push(Destruction::Rows(name));
                if !cur.eat_punct(',') {
                    break;
                }
                cur.eat(&["only"]);
            }
        } else if cur.eat(&["delete", "from"]) {
            cur.eat(&["only"]);
            if let Some(name) = cur.name() {
                out.push(Destruction::Rows(name));
            }
        } else if cur.eat(&["alter", "table"]) {
            cur.eat(&["if", "exists"]);
            cur.eat(&["only"]);
            let Some(table) = cur.name() else { continue };
            loop {
                if cur.eat(&["drop"]) && !cur.eat(&["constraint"]) {
                    cur.eat(&["column"]);
                    cur.eat(&["if", "exists"]);
                    if let Some(column) = cur.name() {
                        out.push(Destruction::Column {
                            table: table.clone(),
                            column,
                        });
                    }
                }
                if !cur.skip_past_comma() {
                    break;
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_created_tables_and_ignores_bodies_and_comments() {
        let sql = r#"
            -- CREATE TABLE commented_out (id int);
            /* CREATE TABLE /* nested */ also_commented (id int); */
            CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN CREATE TABLE in_body (id int); RETURN NEW; END $$;
            CREATE TABLE users (id uuid, note text DEFAULT 'x; CREATE TABLE nope (a int)');
            create unlogged table IF NOT EXISTS "Mixed""Case" (id int);
            CREATE TABLE public.qualified (id int);
        "#;
        assert_eq!(
            created_tables(sql),
            vec!["users", "\"Mixed\"\"Case\"", "public.qualified"]
        );
    }

    #[test]
    fn finds_destructive_statements() {
        let sql = r#"
            DROP TABLE refresh_tokens;
            DROP TABLE IF EXISTS a, b CASCADE;
            ALTER TABLE ONLY users DROP COLUMN bio, ADD COLUMN x int, DROP IF EXISTS avatar_url;
            ALTER TABLE users DROP CONSTRAINT ck_users_role;
            TRUNCATE TABLE audit_logs, ONLY admin_audit_logs;
            DELETE FROM teams WHERE status = 'archived';
            DROP SCHEMA reporting;
            DROP FUNCTION forbid_append_only_mutation();
            SELECT 'DROP TABLE not_me';
        "#;
        assert_eq!(
            destructions(sql),
            vec![
                Destruction::Table("refresh_tokens".into()),
                Destruction::Table("a".into()),
                Destruction::Table("b".into()),
                Destruction::Column {
                    table: "users".into(),
                    column: "bio".into()
                },
                Destruction::Column {
                    table: "users".into(),
                    column: "avatar_url".into()
                },
                Destruction::Rows("audit_logs".into()),
                Destruction::Rows("admin_audit_logs".into()),
                Destruction::Rows("teams".into()),
                Destruction::Schema("reporting".into()),
            ]
        );
    }

    #[test]
    fn positional_parameters_are_not_dollar_quotes() {
        let sql = "SELECT $1; DROP TABLE t;";
        assert_eq!(destructions(sql), vec![Destruction::Table("t".into())]);
    }
}
