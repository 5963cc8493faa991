-- A per-item header prefix: trace headers written at delivery (Return-Path, Delivered-To, Received) so one
-- message body is stored once as a blob while each recipient's copy still gets its own Delivered-To.
-- An item's bytes are header_prefix followed by the blob; items.size counts both.
ALTER TABLE items ADD COLUMN header_prefix BLOB NOT NULL DEFAULT x'';
