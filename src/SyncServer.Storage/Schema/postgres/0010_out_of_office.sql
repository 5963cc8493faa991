-- Each account's out-of-office setting (ActiveSync Settings Oof). state: 0 disabled, 1 on until turned off,
-- 2 between start_at and end_at (UTC unix ms). One row per audience in out_of_office_messages:
-- 0 internal, 1 external known, 2 external unknown; is_html says whether message is HTML or plain text.

CREATE TABLE out_of_office (
    account_id  BIGINT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    state       BIGINT NOT NULL,
    start_at    BIGINT,
    end_at      BIGINT
);

CREATE TABLE out_of_office_messages (
    account_id  BIGINT NOT NULL REFERENCES out_of_office (account_id) ON DELETE CASCADE,
    audience    BIGINT NOT NULL,
    enabled     boolean NOT NULL,
    message     text NOT NULL,
    is_html     boolean NOT NULL,
    PRIMARY KEY (account_id, audience)
);
