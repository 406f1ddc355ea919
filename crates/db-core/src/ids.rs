//! Typed ids: a `uuid` column read and written as its own Rust type, so a
//! `ProjectId` can never be passed where a `UserId` is expected.
//!
//! The ids that cross databases (`UserId`, `TeamId`) live here; every other id
//! is declared by the crate that owns its table.

/// Declares a newtype id over [`uuid::Uuid`] that maps to the SQL `uuid` type.
///
/// New ids are time-ordered UUIDv7 ([`uuid::Uuid::now_v7`]), as SCHEMA.md 1.1 asks;
/// the database default `gen_random_uuid()` is only a fallback for raw SQL.
///
/// ```
/// db_core::typed_id! {
///     /// Primary key of `widgets`.
///     pub struct WidgetId;
/// }
/// let id = WidgetId::new();
/// assert_eq!(WidgetId::from(id.into_uuid()), id);
/// ```
#[macro_export]
macro_rules! typed_id {
    ($(#[$meta:meta])* $vis:vis struct $name:ident;) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            diesel::expression::AsExpression, diesel::deserialize::FromSqlRow,
        )]
        #[diesel(sql_type = diesel::sql_types::Uuid)]
        $vis struct $name(pub $crate::__private::uuid::Uuid);

        impl $name {
            /// A fresh time-ordered (UUIDv7) id.
            #[expect(clippy::new_without_default, reason = "a new id is random, not a default")]
            pub fn new() -> Self {
                Self($crate::__private::uuid::Uuid::now_v7())
            }

            /// The underlying UUID.
            pub const fn into_uuid(self) -> $crate::__private::uuid::Uuid {
                self.0
            }

            /// The underlying UUID, borrowed.
            pub const fn as_uuid(&self) -> &$crate::__private::uuid::Uuid {
                &self.0
            }
        }

        impl ::std::convert::From<$crate::__private::uuid::Uuid> for $name {
            fn from(id: $crate::__private::uuid::Uuid) -> Self {
                Self(id)
            }
        }

        impl ::std::convert::From<$name> for $crate::__private::uuid::Uuid {
            fn from(id: $name) -> Self {
                id.0
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.0, f)
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::__private::uuid::Error;
            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                s.parse().map(Self)
            }
        }

        impl diesel::serialize::ToSql<diesel::sql_types::Uuid, diesel::pg::Pg> for $name {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, diesel::pg::Pg>,
            ) -> diesel::serialize::Result {
                <$crate::__private::uuid::Uuid as diesel::serialize::ToSql<
                    diesel::sql_types::Uuid,
                    diesel::pg::Pg,
                >>::to_sql(&self.0, out)
            }
        }

        impl diesel::deserialize::FromSql<diesel::sql_types::Uuid, diesel::pg::Pg> for $name {
            fn from_sql(bytes: diesel::pg::PgValue<'_>) -> diesel::deserialize::Result<Self> {
                <$crate::__private::uuid::Uuid as diesel::deserialize::FromSql<
                    diesel::sql_types::Uuid,
                    diesel::pg::Pg,
                >>::from_sql(bytes)
                .map(Self)
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                $crate::__private::serde::Serialize::serialize(&self.0, serializer)
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                <$crate::__private::uuid::Uuid as $crate::__private::serde::Deserialize<'de>>::deserialize(
                    deserializer,
                )
                .map(Self)
            }
        }
    };
}

typed_id! {
    /// `socrates_auth.users.id`; referenced from specs without a foreign key (see `cross-db`).
    pub struct UserId;
}

typed_id! {
    /// `socrates_auth.teams.id`; referenced from specs without a foreign key (see `cross-db`).
    pub struct TeamId;
}

typed_id! {
    /// `job_checkpoints.id`, a table both databases have.
    pub struct JobCheckpointId;
}
