import type { ApiTokenRow, SessionRow, UserRow } from '../db/schema.js';
import { isTokenScope, type TokenScope } from './token-scopes.js';

/** The user as every API response shows it: never the password hash. */
export interface PublicUser {
  id: string;
  email: string | null;
  isGuest: boolean;
  role: 'learner' | 'admin';
  timeZone: string;
  createdAt: string;
  /** Whether the account proved it receives mail at `email` (an emailed link). */
  emailVerified: boolean;
}

export function presentUser(user: UserRow): PublicUser {
  return {
    id: user.id,
    email: user.email,
    isGuest: user.is_guest === 1,
    role: user.role,
    timeZone: user.time_zone,
    createdAt: user.created_at,
    emailVerified: user.email_verified_at !== null,
  };
}

export interface PublicSession {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  userAgent: string;
  ip: string;
  current: boolean;
}

export function presentSession(session: SessionRow, currentId: string | null): PublicSession {
  return {
    id: session.id,
    createdAt: session.created_at,
    lastSeenAt: session.last_seen_at,
    expiresAt: session.expires_at,
    userAgent: session.user_agent,
    ip: session.ip,
    current: session.id === currentId,
  };
}

export interface PublicApiToken {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  scope: TokenScope;
}

export function presentApiToken(token: ApiTokenRow): PublicApiToken {
  return {
    id: token.id,
    name: token.name,
    prefix: token.token_prefix,
    createdAt: token.created_at,
    lastUsedAt: token.last_used_at,
    expiresAt: token.expires_at,
    scope: isTokenScope(token.scope) ? token.scope : 'read',
  };
}
