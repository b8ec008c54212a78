-- 0100-mail.sql — mail outbox and single-use account links (registration, password reset)
-- SPDX-License-Identifier: GPL-3.0-or-later
-- SQLite 3.15.2 (SQLCipher 3.4): no UPSERT, RETURNING, window functions or JSON1.

-- R-MAIL-1: nothing is sent directly; every mail is written here first (in the transaction of
-- the action that causes it) and delivered by the outbox worker. Rows are never deleted while
-- pending. After delivery subject and body (which may hold a link) are cleared at once and
-- the row is deleted after the retention in docs/mail.md (R-DATA-1).
CREATE TABLE mail_outbox (
  id            INTEGER PRIMARY KEY,
  created_at    INTEGER NOT NULL,
  recipient     TEXT NOT NULL,
  subject       TEXT NOT NULL,
  body          TEXT NOT NULL,
  template      TEXT NOT NULL,
  lang          TEXT NOT NULL DEFAULT 'de',
  status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent')),
  attempts      INTEGER NOT NULL DEFAULT 0,
  next_attempt  INTEGER NOT NULL,
  last_error    TEXT,
  sent_at       INTEGER
);
CREATE INDEX mail_outbox_due ON mail_outbox (status, next_attempt);

-- R-USER-1, R-USER-4: only the SHA-256 of a link token is stored. Single use: the row is
-- deleted when the link is used, superseded by a newer link, or expired.
CREATE TABLE account_tokens (
  id          INTEGER PRIMARY KEY,
  token_hash  TEXT NOT NULL UNIQUE,
  user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  purpose     TEXT NOT NULL CHECK (purpose IN ('registration', 'password_reset')),
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL
);
CREATE INDEX account_tokens_user ON account_tokens (user_id, purpose);
CREATE INDEX account_tokens_expires ON account_tokens (expires_at);
