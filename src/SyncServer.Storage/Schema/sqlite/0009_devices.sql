-- ActiveSync devices per account (one device may hold several accounts: the key is the pair) and their sync
-- states. policy_key is the final key of a finished Provision (0 = not provisioned), pending_policy_key the
-- temporary one handed out in phase 1. wipe: 0 none, 1 wipe requested, 2 account-only wipe requested, 3 wiped
-- (acknowledged by the device). A sync state is the device's position in one collection's change log
-- ('hierarchy' for FolderSync, else the collection id); data is the command's own small JSON.

CREATE TABLE devices (
    account_id            INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    device_id             TEXT NOT NULL,
    device_type           TEXT NOT NULL,
    user_agent            TEXT,
    protocol_version      TEXT,
    model                 TEXT,
    friendly_name         TEXT,
    operating_system      TEXT,
    phone_number          TEXT,
    first_seen            INTEGER NOT NULL,
    last_seen             INTEGER NOT NULL,
    policy_key            INTEGER NOT NULL DEFAULT 0,
    pending_policy_key    INTEGER NOT NULL DEFAULT 0,
    wipe                  INTEGER NOT NULL DEFAULT 0,
    wipe_acknowledged_at  INTEGER,
    PRIMARY KEY (account_id, device_id)
);

CREATE TABLE sync_states (
    account_id       INTEGER NOT NULL,
    device_id        TEXT NOT NULL,
    collection       TEXT NOT NULL,
    sync_key         INTEGER NOT NULL,
    modseq           INTEGER NOT NULL,
    previous_modseq  INTEGER NOT NULL,
    data             TEXT,
    PRIMARY KEY (account_id, device_id, collection),
    FOREIGN KEY (account_id, device_id) REFERENCES devices (account_id, device_id) ON DELETE CASCADE
);
