-- Schema v1 (SQLite). Money, prices and quantities are TEXT holding exact decimals;
-- timestamps are Unix seconds (BIGINT) so every backend compares them the same way.
CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('ADMIN', 'USER')),
    base_currency TEXT NOT NULL,
    lot_method TEXT NOT NULL DEFAULT 'FIFO' CHECK (lot_method IN ('FIFO', 'AVERAGE')),
    created_at BIGINT NOT NULL
);

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE accounts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    currency TEXT NOT NULL,
    tracks_cash BOOLEAN NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    UNIQUE (user_id, name)
);

CREATE TABLE assets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    symbol TEXT NOT NULL,
    name TEXT NOT NULL,
    currency TEXT NOT NULL,
    asset_class TEXT NOT NULL,
    pricing TEXT NOT NULL CHECK (pricing IN ('MARKET', 'MANUAL')),
    created_at BIGINT NOT NULL,
    UNIQUE (user_id, symbol)
);

CREATE TABLE activities (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    asset_id INTEGER NULL REFERENCES assets (id) ON DELETE RESTRICT,
    activity_type TEXT NOT NULL,
    activity_date TEXT NOT NULL,
    quantity TEXT NULL,
    unit_price TEXT NULL,
    amount TEXT NULL,
    fee TEXT NOT NULL DEFAULT '0',
    tax TEXT NOT NULL DEFAULT '0',
    currency TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX activities_user_date ON activities (user_id, activity_date, id);
CREATE INDEX activities_account ON activities (account_id);
CREATE INDEX activities_asset ON activities (asset_id);

CREATE TABLE prices (
    asset_id INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    price_date TEXT NOT NULL,
    close TEXT NOT NULL,
    PRIMARY KEY (asset_id, price_date)
);
CREATE INDEX prices_user ON prices (user_id);

CREATE TABLE fx_rates (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    base_currency TEXT NOT NULL,
    quote_currency TEXT NOT NULL,
    rate_date TEXT NOT NULL,
    rate TEXT NOT NULL,
    PRIMARY KEY (user_id, base_currency, quote_currency, rate_date)
);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT NULL,
    expires_at BIGINT NULL
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);
