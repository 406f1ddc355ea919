//! Enumerated columns: `varchar` + `CHECK (col IN (...))` in SQL, a Rust enum in code.
//!
//! [`text_enum!`](crate::text_enum!) gives each enum its SQL mapping, `as_str`,
//! `FromStr`, `Display`, serde and the `ALL`/`VALUES` lists; a test in each database
//! crate compares `VALUES` with the CHECK constraint read from the catalog.

/// A string was not one of an enum's values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value:?} is not a valid {type_name} (expected one of: {expected})")]
pub struct UnknownEnumValue {
    /// The Rust enum's name.
    pub type_name: &'static str,
    /// The rejected input.
    pub value: String,
    /// The accepted values, comma separated.
    pub expected: String,
}

/// Where an enum is stored: its table, column and CHECK constraint.
#[derive(Debug, Clone, Copy)]
pub struct EnumColumn {
    /// Table name.
    pub table: &'static str,
    /// Column name.
    pub column: &'static str,
    /// The Rust type's name.
    pub type_name: &'static str,
    /// The values the Rust enum accepts, in declaration order.
    pub values: &'static [&'static str],
}

impl EnumColumn {
    /// The CHECK constraint that must hold the same values (`ck_<table>_<column>`).
    pub fn constraint(&self) -> String {
        format!("ck_{}_{}", self.table, self.column)
    }
}

/// One entry of a database's `ENUM_COLUMNS`: `enum_column!(table.column: Type)`.
///
/// ```
/// db_core::text_enum! {
///     /// Traffic light colour.
///     pub enum Light {
///         /// Stop.
///         Red => "red",
///     }
/// }
/// let c = db_core::enum_column!(crossings.light: Light);
/// assert_eq!((c.table, c.column, c.type_name, c.values), ("crossings", "light", "Light", &["red"][..]));
/// ```
#[macro_export]
macro_rules! enum_column {
    ($table:ident . $column:ident : $ty:ident) => {
        $crate::EnumColumn {
            table: stringify!($table),
            column: stringify!($column),
            type_name: stringify!($ty),
            values: $ty::VALUES,
        }
    };
}

/// Declares a text-mapped enum for a `varchar` column with a value CHECK.
///
/// ```
/// db_core::text_enum! {
///     /// Traffic light colour.
///     pub enum Light {
///         /// Stop.
///         Red => "red",
///         /// Go.
///         Green => "green",
///     }
/// }
/// assert_eq!(Light::Red.as_str(), "red");
/// assert_eq!("green".parse::<Light>().unwrap(), Light::Green);
/// assert!("blue".parse::<Light>().is_err());
/// assert_eq!(Light::VALUES, &["red", "green"]);
/// ```
#[macro_export]
macro_rules! text_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => $value:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            diesel::expression::AsExpression, diesel::deserialize::FromSqlRow,
        )]
        #[diesel(sql_type = diesel::sql_types::Text)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [Self] = &[ $( Self::$variant ),+ ];
            /// Every stored value, in declaration order (equal to the CHECK's list).
            pub const VALUES: &'static [&'static str] = &[ $( $value ),+ ];

            /// The value stored in the database.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( Self::$variant => $value, )+
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::UnknownEnumValue;
            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                match s {
                    $( $value => Ok(Self::$variant), )+
                    other => Err($crate::UnknownEnumValue {
                        type_name: stringify!($name),
                        value: other.to_owned(),
                        expected: Self::VALUES.join(", "),
                    }),
                }
            }
        }

        impl diesel::serialize::ToSql<diesel::sql_types::Text, diesel::pg::Pg> for $name {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, diesel::pg::Pg>,
            ) -> diesel::serialize::Result {
                <str as diesel::serialize::ToSql<diesel::sql_types::Text, diesel::pg::Pg>>::to_sql(
                    self.as_str(),
                    out,
                )
            }
        }

        impl diesel::deserialize::FromSql<diesel::sql_types::Text, diesel::pg::Pg> for $name {
            fn from_sql(bytes: diesel::pg::PgValue<'_>) -> diesel::deserialize::Result<Self> {
                let text = ::std::str::from_utf8(bytes.as_bytes())?;
                Ok(text.parse::<Self>()?)
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let text = <::std::borrow::Cow<'de, str> as $crate::__private::serde::Deserialize<'de>>::deserialize(deserializer)?;
                text.parse().map_err(<D::Error as $crate::__private::serde::de::Error>::custom)
            }
        }
    };
}
