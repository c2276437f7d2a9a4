//! The fields Folio reads from columns, and their names in messages.

/// A field Folio knows how to read from a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    Date,
    Kind,
    Subtype,
    Symbol,
    Name,
    Quantity,
    UnitPrice,
    Amount,
    Fee,
    Tax,
    Currency,
    Account,
    Comment,
    ExternalId,
    TransferOf,
    AssetCurrency,
    AssetClass,
    Pricing,
    DataSource,
    Close,
    Rate,
    Pair,
    Base,
    Quote,
}

impl Field {
    /// The field's name in messages when the file has no column for it.
    pub(crate) const fn label(self) -> &'static str {
        match self {
            Self::Date => "date",
            Self::Kind => "kind",
            Self::Subtype => "subtype",
            Self::Symbol => "symbol",
            Self::Name => "asset_name",
            Self::Quantity => "quantity",
            Self::UnitPrice => "unit_price",
            Self::Amount => "amount",
            Self::Fee => "fee",
            Self::Tax => "tax",
            Self::Currency => "currency",
            Self::Account => "account",
            Self::Comment => "note",
            Self::ExternalId => "id",
            Self::TransferOf => "transfer_of",
            Self::AssetCurrency => "asset_currency",
            Self::AssetClass => "asset_class",
            Self::Pricing => "pricing",
            Self::DataSource => "data_source",
            Self::Close => "close",
            Self::Rate => "rate",
            Self::Pair => "pair",
            Self::Base => "base",
            Self::Quote => "quote",
        }
    }
}

/// Number of [`Field`] variants.
pub(crate) const FIELDS: usize = 24;

/// Header aliases per field; compared after [`normalise`].
pub(crate) type Aliases = [(Field, &'static [&'static str])];
