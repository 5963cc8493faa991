-- ActiveSync devices per account (one device may hold several accounts: the key is the pair) and their sync
-- states. policy_key is the final key of a finished Provision (0 = not provisioned), pending_policy_key the
-- temporary one handed out in phase 1. wipe: 0 none, 1 wipe requested, 2 account-only wipe requested, 3 wiped
-- (acknowledged by the device). A sync state is the device's position in one collection's change log
-- ('hierarchy' for FolderSync, else the collection id); data is the command's own small JSON.

CREATE TABLE devices (
    account_id            BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    device_id             text NOT NULL,
    device_type           text NOT NULL,
    user_agent            text,
    protocol_version      text,
    model                 text,
    friendly_name         text,
    operating_system      text,
    phone_number          text,
    first_seen            BIGINT NOT NULL,
    last_seen             BIGINT NOT NULL,
    policy_key            BIGINT NOT NULL DEFAULT 0,
    pending_policy_key    BIGINT NOT NULL DEFAULT 0,
    wipe                  BIGINT NOT NULL DEFAULT 0,
    wipe_acknowledged_at  BIGINT,
    PRIMARY KEY (account_id, device_id)
);

CREATE TABLE sync_states (
    account_id       BIGINT NOT NULL,
    device_id        text NOT NULL,
    collection       text NOT NULL,
    sync_key         BIGINT NOT NULL,
    modseq           BIGINT NOT NULL,
    previous_modseq  BIGINT NOT NULL,
    data             text,
    PRIMARY KEY (account_id, device_id, collection),
    FOREIGN KEY (account_id, device_id) REFERENCES devices (account_id, device_id) ON DELETE CASCADE
);
