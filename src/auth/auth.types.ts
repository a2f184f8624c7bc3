import type { Config } from '../config.js';
import type { UserDataSection } from '../account/user-data.js';
import type { Content } from '../content/content.types.js';
import type { Db } from '../db/database.js';
import type { SessionRow, UserRow } from '../db/schema.js';
import type { Clock } from '../lib/clock.js';
import type { Mailer } from '../mail/mailer.js';
import type { UserVersions } from '../realtime/user-versions.js';
import type { SessionCache } from './session-cache.js';
import type { TokenScope } from './token-scopes.js';

/** What the auth services need. `db` is the app's database, whose writes announce their changes. */
export interface AuthDeps {
  db: Db;
  config: Config;
  clock: Clock;
  content: () => Content;
  /** The shared per-user versions cached sessions are checked against; without them nothing is cached. */
  versions?: UserVersions;
  sessionCache?: SessionCache;
  /** Every feature's user-data section (src/features.ts), for export, import and the guest merge. */
  userData: readonly UserDataSection[];
  /** Sends email in the background; null when no SMTP server is configured (src/mail). */
  mailer: Mailer | null;
}

export interface ClientMeta {
  userAgent: string;
  ip: string;
}

export interface Authenticated {
  user: UserRow;
  session: SessionRow | null;
  via: 'session' | 'token';
  /** The API token used, when `via` is `token`. */
  token?: { id: string; scope: TokenScope };
  /** Set when a sliding session was extended: the cookie must be re-sent. */
  renewedToken?: string;
}
