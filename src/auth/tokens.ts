import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** 32 random bytes, URL-safe. Only their SHA-256 is stored. */
export function newSecret(prefix = ''): string {
  return prefix + randomBytes(32).toString('base64url');
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function newId(): string {
  return randomUUID();
}

export const API_TOKEN_PREFIX = 'wm_';
