-- Times are INTEGER unix milliseconds (UTC) in both dialects, so the SQL text is the same.
-- Booleans are INTEGER 0/1. Ids are AUTOINCREMENT so a deleted row's id is never reused.

CREATE TABLE domains (
    name        TEXT PRIMARY KEY,
    created_at  INTEGER NOT NULL
);

CREATE TABLE accounts (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    address        TEXT NOT NULL UNIQUE,
    domain         TEXT NOT NULL,
    display_name   TEXT NOT NULL,
    password_hash  TEXT NOT NULL,
    quota_bytes    INTEGER,
    used_bytes     INTEGER NOT NULL DEFAULT 0,
    enabled        INTEGER NOT NULL,
    kind           INTEGER NOT NULL,
    modseq         INTEGER NOT NULL DEFAULT 0,
    pruned_modseq  INTEGER NOT NULL DEFAULT 0,
    created_at     INTEGER NOT NULL
);
CREATE INDEX accounts_domain ON accounts (domain);

CREATE TABLE aliases (
    source         TEXT NOT NULL,
    source_domain  TEXT NOT NULL,
    target         TEXT NOT NULL,
    PRIMARY KEY (source, target)
);
CREATE INDEX aliases_domain ON aliases (source_domain);

CREATE TABLE lists (
    address  TEXT PRIMARY KEY,
    domain   TEXT NOT NULL,
    policy   INTEGER NOT NULL
);
CREATE INDEX lists_domain ON lists (domain);

CREATE TABLE list_members (
    list_address  TEXT NOT NULL REFERENCES lists (address) ON DELETE CASCADE,
    member        TEXT NOT NULL,
    PRIMARY KEY (list_address, member)
);

CREATE TABLE list_senders (
    list_address  TEXT NOT NULL REFERENCES lists (address) ON DELETE CASCADE,
    sender        TEXT NOT NULL,
    PRIMARY KEY (list_address, sender)
);

CREATE TABLE administrators (
    name           TEXT PRIMARY KEY,
    password_hash  TEXT NOT NULL,
    created_at     INTEGER NOT NULL
);

-- One row per named counter; 'uid_validity' hands out UIDVALIDITY values that are never repeated.
CREATE TABLE counters (
    name   TEXT PRIMARY KEY,
    value  INTEGER NOT NULL
);
INSERT INTO counters (name, value) VALUES ('uid_validity', 0);

CREATE TABLE collections (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id       INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    parent_id        INTEGER REFERENCES collections (id) ON DELETE CASCADE,
    name             TEXT NOT NULL,
    kind             INTEGER NOT NULL,
    role             INTEGER NOT NULL,
    uid_validity     INTEGER NOT NULL,
    next_uid         INTEGER NOT NULL,
    highest_modseq   INTEGER NOT NULL,
    created_modseq   INTEGER NOT NULL
);
-- A NULL parent would make every top-level name distinct; COALESCE makes top-level names unique too.
CREATE UNIQUE INDEX collections_name ON collections (account_id, COALESCE(parent_id, 0), name);

CREATE TABLE grants (
    grantee            INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    target_account     INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    target_collection  INTEGER REFERENCES collections (id) ON DELETE CASCADE,
    rights             INTEGER NOT NULL
);
CREATE UNIQUE INDEX grants_key ON grants (grantee, target_account, COALESCE(target_collection, 0));
CREATE INDEX grants_target ON grants (target_account);

CREATE TABLE items (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id      INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    collection_id   INTEGER NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
    resource_name   TEXT NOT NULL,
    imap_uid        INTEGER NOT NULL,
    modseq          INTEGER NOT NULL,
    created_modseq  INTEGER NOT NULL,
    etag            TEXT NOT NULL,
    blob_id         TEXT NOT NULL,
    size            INTEGER NOT NULL,
    internal_date   INTEGER NOT NULL,
    UNIQUE (collection_id, resource_name),
    UNIQUE (collection_id, imap_uid)
);
CREATE INDEX items_blob ON items (blob_id);

CREATE TABLE mail_index (
    item_id         INTEGER PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
    flags           INTEGER NOT NULL,
    keywords        TEXT NOT NULL,
    subject         TEXT,
    from_address    TEXT,
    to_address      TEXT,
    message_id      TEXT,
    sent_date       INTEGER,
    mime_structure  TEXT
);

CREATE TABLE calendar_index (
    item_id        INTEGER PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
    collection_id  INTEGER NOT NULL,
    uid            TEXT NOT NULL,
    component      TEXT NOT NULL,
    start_utc      INTEGER,
    end_utc        INTEGER,
    is_recurring   INTEGER NOT NULL,
    UNIQUE (collection_id, uid)
);
CREATE INDEX calendar_index_range ON calendar_index (collection_id, start_utc, end_utc);

CREATE TABLE contact_index (
    item_id        INTEGER PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
    collection_id  INTEGER NOT NULL,
    uid            TEXT NOT NULL,
    fn             TEXT,
    emails         TEXT NOT NULL,
    UNIQUE (collection_id, uid)
);

-- The change log. item_id NULL = a change of the collection itself (hierarchy). imap_uid and resource_name
-- are copied so a tombstone can still name what vanished. No FK to collections: tombstones outlive them.
CREATE TABLE changes (
    account_id     INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    modseq         INTEGER NOT NULL,
    collection_id  INTEGER NOT NULL,
    item_id        INTEGER,
    imap_uid       INTEGER,
    resource_name  TEXT,
    kind           INTEGER NOT NULL,
    changed_at     INTEGER NOT NULL,
    PRIMARY KEY (account_id, modseq)
);
CREATE INDEX changes_collection ON changes (collection_id, modseq);
CREATE INDEX changes_changed_at ON changes (changed_at);
