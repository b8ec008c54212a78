-- 0200-sync.sql — certificates, employees, master data, change sequence, sync state, history
-- SPDX-License-Identifier: GPL-3.0-or-later
-- SQLite 3.15.2 (SQLCipher 3.4): no UPSERT, RETURNING, window functions or JSON1.
-- Protocol and rules: docs/sync-protocol.md.

-- The one monotonic change sequence: every committed change takes the next value.
-- trimmed_seq: removals at or below it were trimmed; older cursors get resync_required.
CREATE TABLE sync_sequence (
  id           INTEGER PRIMARY KEY CHECK (id = 1),
  value        INTEGER NOT NULL,
  trimmed_seq  INTEGER NOT NULL DEFAULT 0
);
INSERT INTO sync_sequence (id, value, trimmed_seq) VALUES (1, 0, 0);

-- All synced records. entity: certificate, employee, company, employee_type, job_profile,
-- qualification. rev = seq = the sequence value of the record's last change. The typed
-- columns are what zg-access's SQL filter reads (docs/permissions.md); for a certificate
-- they are copied from its employee record.
CREATE TABLE records (
  entity            TEXT NOT NULL,
  id                TEXT NOT NULL,
  rev               INTEGER NOT NULL,
  seq               INTEGER NOT NULL UNIQUE,
  company_id        TEXT,
  location_id       TEXT,
  department_id     TEXT,
  org_unit_id       TEXT,
  employee_type_id  TEXT,
  is_private        INTEGER NOT NULL DEFAULT 0,
  creator_id        TEXT,
  employee_id       TEXT,
  status            TEXT,
  kind              TEXT,
  issue_date        TEXT,
  exit_date         TEXT,
  created_at        INTEGER NOT NULL,
  created_by        INTEGER,
  updated_at        INTEGER NOT NULL,
  updated_by        INTEGER,
  body              TEXT NOT NULL,
  PRIMARY KEY (entity, id)
);
CREATE INDEX records_employee ON records (employee_id) WHERE employee_id IS NOT NULL;
CREATE INDEX records_company ON records (entity, company_id);
CREATE INDEX records_status ON records (entity, status, kind);

-- A record some callers could see before a change: deleted, or its access attributes changed.
-- Pull sends a removal when the caller could see the old attributes and cannot see the record now.
CREATE TABLE removals (
  seq               INTEGER PRIMARY KEY,
  entity            TEXT NOT NULL,
  id                TEXT NOT NULL,
  company_id        TEXT,
  location_id       TEXT,
  department_id     TEXT,
  org_unit_id       TEXT,
  employee_type_id  TEXT,
  is_private        INTEGER NOT NULL DEFAULT 0,
  creator_id        TEXT
);

-- Which client last changed which field path of a record, at which seq (field-level merge).
CREATE TABLE record_fields (
  entity     TEXT NOT NULL,
  id         TEXT NOT NULL,
  path       TEXT NOT NULL,
  seq        INTEGER NOT NULL,
  client_id  TEXT NOT NULL,
  PRIMARY KEY (entity, id, path)
);

-- Employees a certificate references (its employee and its signatories), for R-DEL-3.
CREATE TABLE employee_refs (
  certificate_id  TEXT NOT NULL,
  employee_id     TEXT NOT NULL,
  PRIMARY KEY (certificate_id, employee_id)
);
CREATE INDEX employee_refs_employee ON employee_refs (employee_id);

-- A client id belongs to the user who first pushed with it.
CREATE TABLE sync_clients (
  client_id   TEXT PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  first_seen  INTEGER NOT NULL
);

-- Every answered mutation, for idempotent replay: the stored result is answered again.
CREATE TABLE applied_mutations (
  client_id    TEXT NOT NULL,
  mutation_id  INTEGER NOT NULL,
  user_id      INTEGER NOT NULL,
  result       TEXT NOT NULL,
  applied_at   INTEGER NOT NULL,
  PRIMARY KEY (client_id, mutation_id)
);

-- R-HIST-1: one row per changed field while the privacy setting history_enabled is on.
CREATE TABLE certificate_history (
  id              INTEGER PRIMARY KEY,
  certificate_id  TEXT NOT NULL,
  seq             INTEGER NOT NULL,
  editor_id       INTEGER,
  at              INTEGER NOT NULL,
  path            TEXT NOT NULL,
  before          TEXT,
  after           TEXT
);
CREATE INDEX certificate_history_cert ON certificate_history (certificate_id, id);

-- R-ACL-1/2: the access criteria of a user (JSON of zg_access_criteria_to_json).
-- No row = nothing visible.
CREATE TABLE user_access (
  user_id     INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  criteria    TEXT NOT NULL,
  updated_at  INTEGER NOT NULL
);
