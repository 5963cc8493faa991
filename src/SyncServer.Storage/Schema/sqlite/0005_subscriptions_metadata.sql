-- IMAP subscriptions (RFC 9051 §6.3.7): mailbox names as the client gave them (decoded); they need not exist.
CREATE TABLE subscriptions (
    account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    mailbox     TEXT NOT NULL,
    PRIMARY KEY (account_id, mailbox)
);

-- METADATA entries (RFC 5464). collection_id NULL = a server entry. name is lower-case and starts with /private/
-- (held by the user who set it) or /shared/ (held by the collection's owner, or the user for server entries).
CREATE TABLE metadata (
    account_id     INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    collection_id  INTEGER REFERENCES collections (id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    value          BLOB NOT NULL
);
CREATE UNIQUE INDEX metadata_key ON metadata (account_id, COALESCE(collection_id, 0), name);
CREATE INDEX metadata_collection ON metadata (collection_id);
