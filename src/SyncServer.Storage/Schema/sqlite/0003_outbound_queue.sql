-- The outbound queue: a message (header_prefix, our Received: line, then the blob) and one row per recipient
-- with its own retry state.
-- DSN fields are NULL when the client gave none. notify holds RCPT NOTIFY as bits: 1 NEVER, 2 SUCCESS,
-- 4 FAILURE, 8 DELAY. state: 0 queued, 1 delivered, 2 failed.

CREATE TABLE queue_messages (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    mail_from    TEXT,
    header_prefix  BLOB NOT NULL,
    blob_id      TEXT NOT NULL,
    ret_full     INTEGER,
    envelope_id  TEXT,
    created_at   INTEGER NOT NULL
);
CREATE INDEX queue_messages_blob ON queue_messages (blob_id);

CREATE TABLE queue_recipients (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id        INTEGER NOT NULL REFERENCES queue_messages (id) ON DELETE CASCADE,
    address           TEXT NOT NULL,
    notify            INTEGER,
    orcpt             TEXT,
    state             INTEGER NOT NULL,
    attempts          INTEGER NOT NULL DEFAULT 0,
    next_attempt_at   INTEGER NOT NULL,
    last_error        TEXT,
    delay_warned      INTEGER NOT NULL DEFAULT 0,
    failure_reported  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX queue_recipients_message ON queue_recipients (message_id);
CREATE INDEX queue_recipients_due ON queue_recipients (state, next_attempt_at);
