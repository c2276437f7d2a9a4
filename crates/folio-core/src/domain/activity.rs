//! Closed vocabularies: activity types, asset classes, pricing modes and roles.
//!
//! Each has one canonical upper-case spelling used in the database, the API and forms.

use serde::{Deserialize, Serialize};

use super::InvalidValue;

macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident, $what:literal { $($(#[$vdoc:meta])* $variant:ident => $text:literal / $label:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The canonical spelling stored in the database and used by the API.
            pub const fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// A human label for pages.
            pub const fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = InvalidValue;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let wanted = s.trim();
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str().eq_ignore_ascii_case(wanted))
                    .ok_or_else(|| InvalidValue(format!("unknown {}: choose one of the listed values", $what)))
            }
        }
    };
}

vocabulary!(
    /// One dated event in an account; activities are the source of truth for everything derived.
    ActivityType, "activity type" {
        /// Acquire a quantity of an asset.
        Buy => "BUY" / "Buy",
        /// Dispose of a quantity of an asset.
        Sell => "SELL" / "Sell",
        /// Cash income paid by a held asset.
        Dividend => "DIVIDEND" / "Dividend",
        /// Cash income paid on a cash balance.
        Interest => "INTEREST" / "Interest",
        /// A cost charged to the account.
        Fee => "FEE" / "Fee",
        /// A tax charged to the account.
        Tax => "TAX" / "Tax",
        /// Cash brought into the account from outside (an external flow).
        Deposit => "DEPOSIT" / "Deposit",
        /// Cash taken out of the account (an external flow).
        Withdrawal => "WITHDRAWAL" / "Withdrawal",
        /// A stock split; the quantity field carries the ratio (2 = 2-for-1).
        Split => "SPLIT" / "Split",
        /// A security or cash arriving from another account.
        TransferIn => "TRANSFER_IN" / "Transfer in",
        /// A security or cash leaving for another account.
        TransferOut => "TRANSFER_OUT" / "Transfer out",
    }
);

impl ActivityType {
    /// Whether this type moves a quantity of an asset (and therefore needs an asset).
    pub const fn needs_asset(self) -> bool {
        matches!(self, Self::Buy | Self::Sell | Self::Split | Self::Dividend)
    }

    /// Whether the quantity and unit price fields are meaningful for this type.
    pub const fn uses_quantity(self) -> bool {
        matches!(
            self,
            Self::Buy | Self::Sell | Self::Split | Self::TransferIn | Self::TransferOut
        )
    }
}

vocabulary!(
    /// What kind of thing an asset is; drives allocation views.
    AssetClass, "asset class" {
        /// Listed shares.
        Equity => "EQUITY" / "Equity",
        /// Mutual funds and ETFs.
        Fund => "FUND" / "Fund",
        /// Bonds and other fixed income.
        Bond => "BOND" / "Bond",
        /// Cryptocurrencies.
        Crypto => "CRYPTO" / "Crypto",
        /// Cash and money-market holdings.
        Cash => "CASH" / "Cash",
        /// Property.
        RealEstate => "REAL_ESTATE" / "Real estate",
        /// Gold, oil and other commodities.
        Commodity => "COMMODITY" / "Commodity",
        /// Anything else (collectibles, private equity).
        Other => "OTHER" / "Other",
    }
);

vocabulary!(
    /// Where an asset's prices come from.
    PricingMode, "pricing mode" {
        /// Prices come from a market-data provider (or are entered by hand meanwhile).
        Market => "MARKET" / "Market",
        /// Valued only by the user's own dated entries.
        Manual => "MANUAL" / "Manual",
    }
);

vocabulary!(
    /// What a user may do; the first registered user becomes an admin.
    Role, "role" {
        /// May manage users and instance settings.
        Admin => "ADMIN" / "Admin",
        /// May manage only their own data.
        User => "USER" / "User",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_activity_type_round_trips_through_its_canonical_text() {
        for t in ActivityType::ALL {
            assert_eq!(t.as_str().parse::<ActivityType>().unwrap(), *t);
            assert_eq!(
                t.as_str().to_lowercase().parse::<ActivityType>().unwrap(),
                *t
            );
        }
        assert_eq!(ActivityType::ALL.len(), 11);
    }

    #[test]
    fn unknown_activity_type_is_refused_with_a_message() {
        let err = "BUYY".parse::<ActivityType>().unwrap_err();
        assert!(err.0.contains("activity type"));
    }
}
