-- 0201-workflow.sql — status workflow process data, trimming, references of master data
-- SPDX-License-Identifier: GPL-3.0-or-later
-- SQLite 3.15.2 (SQLCipher 3.4). Protocol and rules: docs/sync-protocol.md.

-- R-DATA-4: creation, status changes, handover and finish of a certificate, typed for
-- queries. The same data are in the certificate's read-only "prozess" group; both are
-- written in the transaction of the change and deleted with the certificate.
-- type: created, status, handover, handover_finished.
CREATE TABLE certificate_events (
  id              INTEGER PRIMARY KEY,
  certificate_id  TEXT NOT NULL,
  seq             INTEGER NOT NULL,
  type            TEXT NOT NULL,
  from_status     TEXT,
  to_status       TEXT,
  user_id         INTEGER,
  user_name       TEXT,
  supervisor      TEXT,
  at              INTEGER NOT NULL
);
CREATE INDEX certificate_events_cert ON certificate_events (certificate_id, id);
CREATE INDEX certificate_events_type ON certificate_events (type, at);

-- Trimming (sync_history_days): removals and answered mutations older than the age go.
ALTER TABLE removals ADD COLUMN at INTEGER NOT NULL DEFAULT 0;
UPDATE removals SET at = CAST (strftime ('%s', 'now') AS INTEGER);
CREATE INDEX removals_at ON removals (at);
CREATE INDEX applied_mutations_at ON applied_mutations (applied_at);

-- Master data a certificate names by id (its job profile), so that deleting one that is
-- still used answers "referenced". Employees are in employee_refs.
CREATE TABLE master_refs (
  certificate_id  TEXT NOT NULL,
  entity          TEXT NOT NULL,
  ref_id          TEXT NOT NULL,
  PRIMARY KEY (certificate_id, entity, ref_id)
);
CREATE INDEX master_refs_ref ON master_refs (entity, ref_id);
