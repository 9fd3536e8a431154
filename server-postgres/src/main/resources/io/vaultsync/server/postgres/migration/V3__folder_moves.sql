-- Issue 16: one row per folder move (a MoveFolder mutation), standing for the per-file MOVE rows
-- first_seq .. last_seq of changes; see server-app's SqlFolderMoves.
CREATE TABLE IF NOT EXISTS folder_moves (
  vault_id BIGINT NOT NULL,
  first_seq BIGINT NOT NULL,
  last_seq BIGINT NOT NULL,
  from_path TEXT COLLATE "C" NOT NULL,
  to_path TEXT COLLATE "C" NOT NULL,
  root BYTEA NOT NULL,
  device TEXT COLLATE "C" NOT NULL,
  time_ms BIGINT NOT NULL,
  PRIMARY KEY (vault_id, first_seq)
);
