-- Schema v1 (MySQL / MariaDB). Money, prices and quantities are DECIMAL(38,10): 28 integer
-- digits and 10 fraction digits fit rust_decimal exactly. Timestamps are Unix seconds.
CREATE TABLE users (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    email VARCHAR(254) NOT NULL,
    password_hash VARCHAR(255) NOT NULL,
    role VARCHAR(16) NOT NULL,
    base_currency VARCHAR(8) NOT NULL,
    lot_method VARCHAR(16) NOT NULL DEFAULT 'FIFO',
    created_at BIGINT NOT NULL,
    UNIQUE KEY users_email (email),
    CONSTRAINT users_role CHECK (role IN ('ADMIN', 'USER')),
    CONSTRAINT users_lot_method CHECK (lot_method IN ('FIFO', 'AVERAGE'))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE sessions (
    id_hash CHAR(64) NOT NULL PRIMARY KEY,
    user_id BIGINT NOT NULL,
    csrf_token VARCHAR(128) NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    KEY sessions_user (user_id),
    KEY sessions_expires (expires_at),
    CONSTRAINT sessions_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE accounts (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id BIGINT NOT NULL,
    name VARCHAR(400) NOT NULL,
    currency VARCHAR(8) NOT NULL,
    tracks_cash BOOLEAN NOT NULL DEFAULT TRUE,
    created_at BIGINT NOT NULL,
    UNIQUE KEY accounts_user_name (user_id, name),
    CONSTRAINT accounts_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE assets (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id BIGINT NOT NULL,
    symbol VARCHAR(128) NOT NULL,
    name VARCHAR(400) NOT NULL,
    currency VARCHAR(8) NOT NULL,
    asset_class VARCHAR(32) NOT NULL,
    pricing VARCHAR(16) NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE KEY assets_user_symbol (user_id, symbol),
    CONSTRAINT assets_pricing CHECK (pricing IN ('MARKET', 'MANUAL')),
    CONSTRAINT assets_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE activities (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id BIGINT NOT NULL,
    account_id BIGINT NOT NULL,
    asset_id BIGINT NULL,
    activity_type VARCHAR(16) NOT NULL,
    activity_date DATE NOT NULL,
    quantity DECIMAL(38, 10) NULL,
    unit_price DECIMAL(38, 10) NULL,
    amount DECIMAL(38, 10) NULL,
    fee DECIMAL(38, 10) NOT NULL DEFAULT 0,
    tax DECIMAL(38, 10) NOT NULL DEFAULT 0,
    currency VARCHAR(8) NOT NULL,
    note TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    KEY activities_user_date (user_id, activity_date, id),
    KEY activities_account (account_id),
    KEY activities_asset (asset_id),
    CONSTRAINT activities_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT activities_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE CASCADE,
    CONSTRAINT activities_asset_fk FOREIGN KEY (asset_id) REFERENCES assets (id) ON DELETE RESTRICT
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE prices (
    asset_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    price_date DATE NOT NULL,
    close DECIMAL(38, 10) NOT NULL,
    PRIMARY KEY (asset_id, price_date),
    KEY prices_user (user_id),
    CONSTRAINT prices_asset_fk FOREIGN KEY (asset_id) REFERENCES assets (id) ON DELETE CASCADE,
    CONSTRAINT prices_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE fx_rates (
    user_id BIGINT NOT NULL,
    base_currency VARCHAR(8) NOT NULL,
    quote_currency VARCHAR(8) NOT NULL,
    rate_date DATE NOT NULL,
    rate DECIMAL(38, 10) NOT NULL,
    PRIMARY KEY (user_id, base_currency, quote_currency, rate_date),
    CONSTRAINT fx_rates_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE api_tokens (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id BIGINT NOT NULL,
    name VARCHAR(400) NOT NULL,
    token_hash CHAR(64) NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT NULL,
    expires_at BIGINT NULL,
    UNIQUE KEY api_tokens_hash (token_hash),
    KEY api_tokens_user (user_id),
    CONSTRAINT api_tokens_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
