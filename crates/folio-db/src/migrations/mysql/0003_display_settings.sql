-- v3: per-user display preferences: colour theme and privacy mode (amounts hidden).
ALTER TABLE users ADD COLUMN theme VARCHAR(16) NOT NULL DEFAULT 'SYSTEM';
ALTER TABLE users ADD CONSTRAINT users_theme CHECK (theme IN ('LIGHT', 'DARK', 'SYSTEM'));
ALTER TABLE users ADD COLUMN privacy_mode BOOLEAN NOT NULL DEFAULT FALSE;
