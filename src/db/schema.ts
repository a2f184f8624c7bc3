import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * The database, table by table. Timestamps are ISO-8601 UTC strings in both dialects so that the
 * same queries, comparisons and exports work on SQLite and PostgreSQL. Booleans are 0/1 integers.
 */
export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  progress: ProgressTable;
  activity: ActivityTable;
  checklist_ticks: ChecklistTicksTable;
  content_migrations: ContentMigrationsTable;
}

export interface UsersTable {
  id: string;
  /** Lower-cased; null for a guest. */
  email: string | null;
  password_hash: string | null;
  is_guest: number;
  role: 'learner' | 'admin';
  /** IANA time zone, used for streaks and calendars. */
  time_zone: string;
  created_at: string;
  updated_at: string;
}

export interface SessionsTable {
  /** Public id, shown in the sessions list and used to revoke. */
  id: string;
  /** SHA-256 (hex) of the secret token; the token itself is never stored. */
  token_hash: string;
  user_id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  user_agent: string;
  ip: string;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  /** First characters of the token, so a person can tell tokens apart. */
  token_prefix: string;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
}

export interface ProgressTable {
  user_id: string;
  topic_id: string;
  status: 'pending' | 'learning' | 'done' | 'skipped';
  note: string;
  created_at: string;
  updated_at: string;
  /** When the status last changed (notes do not move it). */
  status_changed_at: string;
}

export interface ActivityTable {
  id: Generated<number>;
  user_id: string;
  topic_id: string | null;
  kind: 'status' | 'note' | 'reset' | 'import' | 'checklist' | 'review' | 'alias' | 'merge';
  from_status: string | null;
  to_status: string | null;
  created_at: string;
  detail: string | null;
}

export interface ChecklistTicksTable {
  user_id: string;
  topic_id: string;
  item_id: string;
  ticked_at: string;
}

export interface ContentMigrationsTable {
  /** e.g. `alias:old-id->new-id` — applied once per database. */
  key: string;
  applied_at: string;
}

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;
export type ApiTokenRow = Selectable<ApiTokensTable>;
export type ProgressRow = Selectable<ProgressTable>;
export type ActivityRow = Selectable<ActivityTable>;
