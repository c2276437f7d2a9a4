//! Typed row ids, so an `AccountId` can never be passed where an `AssetId` is expected.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(i64);

        impl $name {
            /// Wraps a database id. Ids come from the database, never from arithmetic.
            pub const fn new(raw: i64) -> Self {
                Self(raw)
            }

            /// The raw database id.
            pub const fn get(self) -> i64 {
                self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.trim().parse().map(Self)
            }
        }
    };
}

id_type!(
    /// A registered user; every user-data query is scoped by it.
    UserId
);
id_type!(
    /// A brokerage, bank or wallet account owned by one user.
    AccountId
);
id_type!(
    /// Something that can be held (security, fund, crypto, property, ...), owned by one user.
    AssetId
);
id_type!(
    /// One dated event in an account.
    ActivityId
);
