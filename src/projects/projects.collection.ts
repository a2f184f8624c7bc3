import type { ProblemLog } from '../content/content.problems.js';

// Checks a project's Postman collection file: it must be a v2.1 collection a learner can import and
// run with `npx newman run`, and every request must be a real check (aimed at {{baseUrl}}, with tests).
// JSON carries no positions, so problems point at the line where the offending item's name is written.

export const COLLECTION_SCHEMA = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export interface CheckedCollection {
  collection: unknown;
  /** Request (check) names in run order. */
  checkNames: string[];
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** 1-based line of a character offset. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line += 1;
  return line;
}

/** Where JSON.parse stopped: Node reports "position N" (20) or "line L column C" (22+). */
function syntaxErrorLine(text: string, message: string): number {
  const line = /line (\d+)/.exec(message);
  if (line) return Number(line[1]);
  const position = /position (\d+)/.exec(message);
  return position ? lineAt(text, Number(position[1])) : 1;
}

/** Finds, in order, the line of each `"name": "<value>"`, so repeated searches move forward. */
class NameLines {
  private from = 0;
  constructor(private readonly text: string) {}

  next(name: unknown): number {
    if (typeof name !== 'string') return lineAt(this.text, this.from);
    const needle = new RegExp(
      `"name"\\s*:\\s*${JSON.stringify(name).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`,
    );
    const match = needle.exec(this.text.slice(this.from));
    if (!match) return lineAt(this.text, this.from);
    this.from += match.index + match[0].length;
    return lineAt(this.text, this.from);
  }
}

function scriptText(item: Json, listen: string): string {
  const events = Array.isArray(item.event) ? item.event : [];
  return events
    .filter((event): event is Json => isObject(event) && event.listen === listen)
    .map((event) => (isObject(event.script) ? event.script.exec : undefined))
    .map((exec) => (Array.isArray(exec) ? exec.join('\n') : typeof exec === 'string' ? exec : ''))
    .join('\n');
}

function rawUrl(request: Json): string | undefined {
  const { url } = request;
  if (typeof url === 'string') return url;
  if (isObject(url) && typeof url.raw === 'string') return url.raw;
  return undefined;
}

/**
 * Parses and validates the collection text, reporting each problem at `file:line`. Returns undefined
 * when the file cannot be used at all.
 */
export function checkCollection(text: string, file: string, log: ProblemLog): CheckedCollection | undefined {
  let collection: unknown;
  try {
    collection = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log.error(file, syntaxErrorLine(text, message), `the collection is not valid JSON: ${message}`);
    return undefined;
  }
  if (!isObject(collection) || !isObject(collection.info)) {
    log.error(file, 1, 'not a Postman collection: expected an object with "info" and "item"');
    return undefined;
  }
  const { info } = collection;
  if (info.schema !== COLLECTION_SCHEMA) {
    log.error(
      file,
      lineOf(text, '"schema"'),
      `"info.schema" must be ${COLLECTION_SCHEMA} (Postman Collection v2.1)`,
    );
  }
  if (typeof info.name !== 'string' || !info.name.trim()) {
    log.error(file, lineOf(text, '"info"'), '"info.name" must be a non-empty string');
  }
  if (!Array.isArray(collection.item) || collection.item.length === 0) {
    log.error(
      file,
      lineOf(text, '"item"'),
      'the collection has no requests: "item" must be a non-empty list',
    );
    return undefined;
  }
  const behaviour = isObject(collection.protocolProfileBehavior) ? collection.protocolProfileBehavior : {};
  if (behaviour.followRedirects !== false) {
    log.warning(
      file,
      1,
      'set "protocolProfileBehavior": {"followRedirects": false} so Postman and newman check redirects as Waymark does instead of following them',
    );
  }
  const checkNames: string[] = [];
  const lines = new NameLines(text.slice(text.indexOf('"item"')));
  const offset = lineAt(text, text.indexOf('"item"')) - 1;
  const seen = new Map<string, number>();
  const visit = (items: unknown[], folder: string): void => {
    for (const item of items) {
      if (!isObject(item)) {
        log.error(file, offset + lines.next(undefined), `${folder}each entry of "item" must be an object`);
        continue;
      }
      const line = offset + lines.next(item.name);
      const name = typeof item.name === 'string' ? item.name.trim() : '';
      if (Array.isArray(item.item)) {
        visit(item.item, `${folder}${name || 'unnamed folder'} / `);
        continue;
      }
      checkRequest(item, name, line, log, file);
      if (!name) continue;
      const earlier = seen.get(name);
      if (earlier !== undefined) {
        log.error(
          file,
          line,
          `two requests are named "${name}" (also line ${earlier}); check names must be unique`,
        );
      }
      seen.set(name, line);
      checkNames.push(name);
    }
  };
  visit(collection.item, '');
  return { collection, checkNames };
}

function checkRequest(item: Json, name: string, line: number, log: ProblemLog, file: string): void {
  const label = name ? `request "${name}"` : 'a request';
  if (!name) log.error(file, line, `${label} has no "name": the name is what learners see for the check`);
  const request = item.request;
  if (!isObject(request)) {
    log.error(file, line, `${label} has no "request" object`);
    return;
  }
  const method = typeof request.method === 'string' ? request.method : 'GET';
  if (!METHODS.has(method)) log.error(file, line, `${label}: unknown method "${method}"`);
  const url = rawUrl(request);
  if (!url?.startsWith('{{baseUrl}}')) {
    log.error(file, line, `${label} must start its URL with {{baseUrl}}, got ${url ? `"${url}"` : 'no URL'}`);
  }
  if (!/\bpm\.test\s*\(/.test(scriptText(item, 'test'))) {
    log.error(file, line, `${label} has no test: add a "test" script with at least one pm.test(…)`);
  }
}

function lineOf(text: string, needle: string): number {
  const index = text.indexOf(needle);
  return index < 0 ? 1 : lineAt(text, index);
}
