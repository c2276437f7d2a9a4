-- v2: per-user cost-basis option, and linking a TRANSFER_IN to the TRANSFER_OUT it receives.
ALTER TABLE users ADD COLUMN fees_in_cost_basis BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE activities ADD COLUMN transfer_of BIGINT NULL REFERENCES activities (id) ON DELETE SET NULL;
