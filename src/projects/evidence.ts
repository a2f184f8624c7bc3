import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Db } from '../db/database.js';
import * as repo from './projects.repository.js';

// Evidence a third party can check: the instance's Ed25519 key (created at first start, kept with the
// data so restarts and every instance sign alike), canonical JSON for records, signing and verifying.
// verify-record in the CLI uses only the pure functions at the bottom, so it works offline.

/** The stored row id: one signing key per instance (a fixed id makes concurrent first starts agree). */
const KEY_ROW_ID = 'verification';
export const KEY_FILE_NAME = 'verification-key.json';

export interface SigningKey {
  /** First 16 hex characters of the SHA-256 of the public key (DER), named in every record. */
  keyId: string;
  publicKeyPem: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** What the public key endpoint serves (and what `waymark verify-record --key` reads). */
export interface PublicKeyDocument {
  algorithm: 'Ed25519';
  keyId: string;
  publicKey: string;
}

export function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, 16);
}

function fromPem(publicPem: string, privatePem: string): SigningKey {
  const publicKey = createPublicKey(publicPem);
  return {
    keyId: keyIdOf(publicKey),
    publicKeyPem: publicPem,
    publicKey,
    privateKey: createPrivateKey(privatePem),
  };
}

function generate(): { publicPem: string; privatePem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** SQLite keeps the key as a file beside its database file (WAYMARK_DATA_DIR by default); mode 0600. */
function loadFileKey(file: string): SigningKey {
  try {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { publicKey: string; privateKey: string };
    return fromPem(stored.publicKey, stored.privateKey);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const fresh = generate();
  try {
    writeFileSync(
      file,
      `${JSON.stringify({ algorithm: 'Ed25519', publicKey: fresh.publicPem, privateKey: fresh.privatePem }, null, 2)}\n`,
      {
        flag: 'wx',
        mode: 0o600,
      },
    );
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadFileKey(file);
    throw error;
  }
  return fromPem(fresh.publicPem, fresh.privatePem);
}

/** PostgreSQL (and in-memory SQLite) keep it in `signing_keys`, so every instance shares one key. */
async function loadTableKey(db: Db, now: string): Promise<SigningKey> {
  const existing = await repo.findSigningKey(db.kysely);
  if (existing) return fromPem(existing.public_key, existing.private_key);
  const fresh = generate();
  await db.write(
    (trx) =>
      repo.insertSigningKey(trx, {
        id: KEY_ROW_ID,
        algorithm: 'Ed25519',
        public_key: fresh.publicPem,
        private_key: fresh.privatePem,
        created_at: now,
      }),
    null,
  );
  const stored = await repo.findSigningKey(db.kysely);
  if (!stored) throw new Error('the verification signing key could not be stored');
  return fromPem(stored.public_key, stored.private_key);
}

/** The key file's path for a SQLite database URL, or null when the key lives in the database. */
export function keyFileFor(databaseUrl: string): string | null {
  if (!databaseUrl.startsWith('sqlite:')) return null;
  const file = databaseUrl.slice('sqlite:'.length);
  return file === ':memory:' ? null : join(dirname(file), KEY_FILE_NAME);
}

/** Loads the instance's signing key, creating it on first start. */
export async function loadSigningKey(db: Db, databaseUrl: string, now: string): Promise<SigningKey> {
  const file = keyFileFor(databaseUrl);
  return file ? loadFileKey(file) : loadTableKey(db, now);
}

export function publicKeyDocument(key: SigningKey): PublicKeyDocument {
  return { algorithm: 'Ed25519', keyId: key.keyId, publicKey: key.publicKeyPem };
}

// Pure functions: records, canonical JSON, signatures ------------------------------------------

/** JSON with object keys sorted at every level, so the same record always has the same bytes. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The facts a verification record states. */
export interface VerificationRecord {
  type: 'waymark-verification';
  version: 1;
  id: string;
  project: { id: string; roadmapId: string; title: string };
  collectionHash: string;
  verifiedAt: string;
  results: { checks: number; passed: number; failed: number; required: number; durationMs: number };
  /** An opaque id for the learner on this instance (not their account id, email or name). */
  subject: string;
  /** The instance that ran the checks (its public origin when configured). */
  instance: string;
  keyId: string;
}

/** A record with its signature, as served and as `waymark verify-record` reads it. */
export interface SignedRecord {
  record: VerificationRecord;
  signature: string;
  algorithm: 'Ed25519';
}

export function signRecord(record: VerificationRecord, key: SigningKey): SignedRecord {
  const signature = sign(null, Buffer.from(canonicalJson(record)), key.privateKey).toString('base64url');
  return { record, signature, algorithm: 'Ed25519' };
}

/** The opaque learner id in records: stable per instance key, unlinkable to the account id without it. */
export function subjectFor(key: SigningKey, userId: string): string {
  return createHash('sha256').update(`${key.keyId}:${userId}`).digest('hex').slice(0, 32);
}

export type VerifyResult = { valid: true; record: VerificationRecord } | { valid: false; reason: string };

/**
 * Checks a signed record against a public key (PEM). Pure and offline.
 *
 * @example verifySignedRecord(JSON.parse(text), pem) // { valid: true, record }
 */
export function verifySignedRecord(document: unknown, publicKeyPem: string): VerifyResult {
  const doc = document as Partial<SignedRecord> | null;
  if (!doc || typeof doc !== 'object' || !doc.record || typeof doc.signature !== 'string') {
    return { valid: false, reason: 'not a Waymark verification record (expected { record, signature })' };
  }
  if (doc.record.type !== 'waymark-verification') {
    return { valid: false, reason: 'record.type is not "waymark-verification"' };
  }
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey(publicKeyPem);
  } catch {
    return { valid: false, reason: 'the public key is not a PEM Ed25519 key' };
  }
  if (doc.record.keyId !== keyIdOf(publicKey)) {
    return {
      valid: false,
      reason: `the record was signed with key ${String(doc.record.keyId)}, not with this key (${keyIdOf(publicKey)})`,
    };
  }
  const ok = verify(
    null,
    Buffer.from(canonicalJson(doc.record)),
    publicKey,
    Buffer.from(doc.signature, 'base64url'),
  );
  return ok
    ? { valid: true, record: doc.record }
    : { valid: false, reason: 'the signature does not match the record' };
}
