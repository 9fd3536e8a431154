-- Version 2 (issue 14): the index of server-s3's S3ContentStore (io.vaultsync.server.s3.S3Index),
-- the same tables as S3Index.SQLITE_TABLES in PostgreSQL's types; keys compared byte by byte
-- (COLLATE "C"). Created here, with the rest of the schema, whether or not --objects is s3://.
-- And an index for the mass-delete window, which a server of several processes reads from the
-- ledger (SqlRecentDeletes: a device's unconfirmed deletes in a vault since a time).
CREATE TABLE IF NOT EXISTS s3_packs (
  pack_key TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  pack_bytes BIGINT NOT NULL,
  created_ms BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS s3_objects (
  hash TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  pack_key TEXT COLLATE "C" NOT NULL REFERENCES s3_packs (pack_key),
  pack_offset BIGINT NOT NULL,
  stored_length BIGINT NOT NULL,
  content_size BIGINT NOT NULL,
  touched_gen BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS s3_objects_pack ON s3_objects (pack_key);
CREATE TABLE IF NOT EXISTS s3_pins (
  batch_id TEXT COLLATE "C" NOT NULL,
  hash TEXT COLLATE "C" NOT NULL,
  pinned_ms BIGINT NOT NULL,
  PRIMARY KEY (batch_id, hash)
);
CREATE INDEX IF NOT EXISTS s3_pins_hash ON s3_pins (hash);
CREATE TABLE IF NOT EXISTS s3_gc (
  id INTEGER NOT NULL PRIMARY KEY,
  generation BIGINT NOT NULL
);
INSERT INTO s3_gc (id, generation) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;
CREATE INDEX IF NOT EXISTS changes_by_device_time ON changes (vault_id, device, time_ms);
