-- What a delivery has stored while it files its copies one account at a time: each copy (account, item) and each
-- queued message, written in the same transaction as the thing itself. The delivery's rows are deleted when it
-- finishes (just before the SMTP 250); rows left by a crash say what to roll back, so no message stays delivered
-- to only some of its recipients. A row goes with its item or queued message when either is deleted.

CREATE TABLE unfinished_deliveries (
    delivery_id       TEXT NOT NULL,
    stored_at         INTEGER NOT NULL,
    account_id        INTEGER REFERENCES accounts (id) ON DELETE CASCADE,
    item_id           INTEGER REFERENCES items (id) ON DELETE CASCADE,
    queue_message_id  INTEGER REFERENCES queue_messages (id) ON DELETE CASCADE
);
CREATE INDEX unfinished_deliveries_by_id ON unfinished_deliveries (delivery_id);
CREATE INDEX unfinished_deliveries_by_item ON unfinished_deliveries (item_id);
CREATE INDEX unfinished_deliveries_by_queue_message ON unfinished_deliveries (queue_message_id);
