import '../lib/formats.js';
import { Value, type ValueError } from '@sinclair/typebox/value';
import type { AuthDeps } from '../auth/auth.types.js';
import { dataContext } from './data-context.js';
import type { UserRow } from '../db/schema.js';
import type { UserDataSection } from './user-data.js';
import { problems, type ProblemField } from '../http/problems.js';

import { EXPORT_FORMAT, EXPORT_VERSION } from './export-schema.js';

/** Everything a user entered, as one JSON document that `importUserData` accepts back. */
export async function exportUserData(deps: AuthDeps, user: UserRow): Promise<Record<string, unknown>> {
  const document: Record<string, unknown> = {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: deps.clock.now().toISOString(),
    account: { email: user.email, timeZone: user.time_zone, createdAt: user.created_at },
  };
  for (const section of deps.userData) {
    document[section.name] = await section.export(deps.db.kysely, user.id);
  }
  return document;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A schema error in words; a bound from limits.ts names the limit ("the limit is 156 weeks in a plan"). */
function limitMessage(error: ValueError): string {
  const name = (error.schema as { 'x-limit'?: string })['x-limit'];
  const value = error.value;
  if (
    name &&
    Array.isArray(value) &&
    typeof error.schema.maxItems === 'number' &&
    value.length > error.schema.maxItems
  )
    return `has ${value.length} entries; the limit is ${error.schema.maxItems} ${name}`;
  if (
    name &&
    typeof value === 'string' &&
    typeof error.schema.maxLength === 'number' &&
    value.length > error.schema.maxLength
  )
    return `is ${value.length} characters long; the limit is ${error.schema.maxLength} ${name}`;
  return error.message.toLowerCase();
}

/** Validates the whole document before anything is written, collecting precise JSON pointers. */
export function validateExportDocument(
  sections: readonly UserDataSection[],
  document: unknown,
): ProblemField[] {
  const errors: ProblemField[] = [];
  if (!isRecord(document))
    return [{ pointer: '/body', message: 'must be a JSON object exported by Waymark' }];
  if (document.format !== EXPORT_FORMAT)
    errors.push({ pointer: '/body/format', message: `must be "${EXPORT_FORMAT}"` });
  if (document.version !== EXPORT_VERSION)
    errors.push({ pointer: '/body/version', message: `must be ${EXPORT_VERSION}` });
  const known = new Set(['format', 'version', 'exportedAt', 'account', ...sections.map((s) => s.name)]);
  for (const key of Object.keys(document)) {
    if (!known.has(key))
      errors.push({ pointer: `/body/${key}`, message: 'is not a section this server knows' });
  }
  for (const section of sections) {
    if (document[section.name] === undefined) continue;
    for (const error of Value.Errors(section.schema, document[section.name])) {
      errors.push({ pointer: `/body/${section.name}${error.path}`, message: limitMessage(error) });
      if (errors.length >= 20) return errors;
    }
  }
  return errors;
}

/**
 * Imports an export document into the user's data, all or nothing: one transaction, and any
 * invalid part rejects the whole file. Importing the same file twice changes nothing the second time.
 */
export async function importUserData(
  deps: AuthDeps,
  user: UserRow,
  document: unknown,
): Promise<{ imported: Record<string, number> }> {
  const errors = validateExportDocument(deps.userData, document);
  if (errors.length) {
    const first = errors[0]!;
    throw problems.validation(
      `This file cannot be imported: ${first.pointer.replace('/body', '') || '/'} ${first.message}. Nothing was imported.`,
      errors,
    );
  }
  const doc = document as Record<string, unknown>;
  const ctx = dataContext(deps.content(), deps.clock);
  return deps.db.write(
    async (trx) => {
      const imported: Record<string, number> = {};
      for (const section of deps.userData) {
        if (doc[section.name] === undefined) continue;
        imported[section.name] = await section.import(trx, user.id, doc[section.name] as never, ctx);
      }
      return { imported };
    },
    { userId: user.id, scope: 'data', event: { type: 'sync', reason: 'imported' } },
  );
}
