import type { AuthDeps } from '../auth/auth.types.js';
import { dataContext } from './data-context.js';
import type { UserRow } from '../db/schema.js';
import type { UserDataSection } from './user-data.js';
import { problems, type Problem, type ProblemField } from '../http/problems.js';
import { compileValidator } from '../http/validation.js';

import { EXPORT_FORMAT, EXPORT_VERSION, exportDocumentSchema } from './export-schema.js';

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

const validators = new WeakMap<readonly UserDataSection[], (value: unknown) => ProblemField[]>();

/**
 * Validates the whole document before anything is written, with the routes' validator and the
 * schema `POST /api/v1/me/import` declares (src/account/export-schema.ts): precise JSON pointers,
 * and a bound from limits.ts named ("the limit is 156 weeks in a plan").
 */
export function validateExportDocument(
  sections: readonly UserDataSection[],
  document: unknown,
): ProblemField[] {
  let check = validators.get(sections);
  if (!check) {
    check = compileValidator(exportDocumentSchema(sections));
    validators.set(sections, check);
  }
  return importFields(check(document));
}

/** The schema's field errors in the words an import uses (at most 20). */
export function importFields(errors: ProblemField[]): ProblemField[] {
  return errors
    .slice(0, 20)
    .map((e) =>
      /^\/body\/[^/]+$/.test(e.pointer) && e.message === 'is not a known field'
        ? { ...e, message: 'is not a section this server knows' }
        : e.pointer === '/body' && e.message === 'must be object'
          ? { ...e, message: 'must be a JSON object exported by Waymark' }
          : e,
    );
}

/** The 400 an import with schema errors gets: the first error in words, and all of them listed. */
export function importProblem(errors: ProblemField[]): Problem {
  const first = errors[0]!;
  return problems.validation(
    `This file cannot be imported: ${first.pointer.replace('/body', '') || '/'} ${first.message}. Nothing was imported.`,
    errors,
  );
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
  if (errors.length) throw importProblem(errors);
  return importValidated(deps, user, document as Record<string, unknown>);
}

/** Imports a document the export schema already accepted (the route's own validation did it). */
export async function importValidated(
  deps: AuthDeps,
  user: UserRow,
  doc: Record<string, unknown>,
): Promise<{ imported: Record<string, number> }> {
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
