-- 0001-core.sql — roles, users, sessions, security log, settings
-- SPDX-License-Identifier: GPL-3.0-or-later
-- SQLite 3.15.2 (SQLCipher 3.4): no UPSERT, RETURNING, window functions or JSON1.

CREATE TABLE roles (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
  -- bit set of shared/zg-areas.h (bit values are stable)
  areas       INTEGER NOT NULL DEFAULT 0,
  builtin     INTEGER NOT NULL DEFAULT 0,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);

-- The Administrator role cannot be edited or deleted (R-ROLE-1).
INSERT INTO roles (id, name, areas, builtin, created_at, updated_at)
  VALUES (1, 'Administrator', 1, 1, strftime('%s','now'), strftime('%s','now'));

CREATE TABLE users (
  id             INTEGER PRIMARY KEY,
  email          TEXT NOT NULL UNIQUE,      -- normalised: trimmed, lower case
  first_name     TEXT NOT NULL,
  last_name      TEXT NOT NULL,
  phone          TEXT,
  role_id        INTEGER NOT NULL REFERENCES roles (id),
  password_hash  TEXT,                      -- NULL until registration is completed
  active         INTEGER NOT NULL DEFAULT 1,
  locked         INTEGER NOT NULL DEFAULT 0,
  locked_at      INTEGER,
  failed_logins  INTEGER NOT NULL DEFAULT 0,
  password_changed_at INTEGER,
  last_login_at  INTEGER,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
);
CREATE INDEX users_role ON users (role_id);

CREATE TABLE sessions (
  id            INTEGER PRIMARY KEY,
  token_hash    TEXT NOT NULL UNIQUE,       -- SHA-256 hex of the bearer token
  user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at    INTEGER NOT NULL,
  last_seen_at  INTEGER NOT NULL,
  ip            TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

-- R-AUDIT-2: time, user (link to the account), e-mail as typed, IP, action.
CREATE TABLE audit_log (
  id       INTEGER PRIMARY KEY,
  at       INTEGER NOT NULL,
  user_id  INTEGER REFERENCES users (id) ON DELETE SET NULL,
  email    TEXT,
  ip       TEXT,
  action   TEXT NOT NULL,
  detail   TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_user ON audit_log (user_id, at);
CREATE INDEX audit_log_action ON audit_log (action, at);

CREATE TABLE settings (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL
);
