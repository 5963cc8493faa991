-- Each account's out-of-office setting (ActiveSync Settings Oof). state: 0 disabled, 1 on until turned off,
-- 2 between start_at and end_at (UTC unix ms). One row per audience in out_of_office_messages:
-- 0 internal, 1 external known, 2 external unknown; is_html says whether message is HTML or plain text.

CREATE TABLE out_of_office (
    account_id  INTEGER PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    state       INTEGER NOT NULL,
    start_at    INTEGER,
    end_at      INTEGER
);

CREATE TABLE out_of_office_messages (
    account_id  INTEGER NOT NULL REFERENCES out_of_office (account_id) ON DELETE CASCADE,
    audience    INTEGER NOT NULL,
    enabled     INTEGER NOT NULL,
    message     TEXT NOT NULL,
    is_html     INTEGER NOT NULL,
    PRIMARY KEY (account_id, audience)
);
