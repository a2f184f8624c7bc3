import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument, visit } from 'yaml';
import type { Document, Pair, YAMLError, YAMLMap } from 'yaml';
import { closestMatch } from './content.ids.js';
import type { ProblemLog } from './content.problems.js';

/** A value read from YAML together with the file line it came from, for later cross-file checks. */
export interface Located<T> {
  value: T;
  line: number;
}

/** One parsed YAML text that remembers where each node came from. */
export interface YamlFile {
  file: string;
  log: ProblemLog;
  root: unknown;
  lineOf(node: unknown): number;
}

/** The usual cause of the errors writers meet most, appended to the parser's message. */
const SYNTAX_HINTS: Partial<Record<string, string>> = {
  BLOCK_AS_IMPLICIT_KEY: ' (a value containing ": " must be quoted)',
  MULTILINE_IMPLICIT_KEY: ' (check the indentation, or quote a value containing ": ")',
};

/**
 * Parses YAML keeping positions so every later problem names its `file:line`. `firstLine` is the file
 * line the text starts on (front matter starts after the opening `---`). Returns null, after reporting
 * the first syntax error (later ones are usually echoes of it), when the text is not valid YAML.
 */
export function parseYamlFile(text: string, file: string, log: ProblemLog, firstLine = 1): YamlFile | null {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: true, prettyErrors: false });
  const lineAt = (offset: number): number => counter.linePos(offset).line + firstLine - 1;
  const [syntaxError] = doc.errors;
  if (syntaxError) {
    const hint = SYNTAX_HINTS[syntaxError.code] ?? '';
    log.error(
      file,
      lineAt(syntaxErrorOffset(doc, syntaxError)),
      `YAML syntax error: ${syntaxError.message}${hint}`,
    );
    return null;
  }
  for (const warning of doc.warnings) log.warning(file, lineAt(warning.pos[0]), `YAML: ${warning.message}`);
  return {
    file,
    log,
    root: doc.contents,
    lineOf: (node) => lineAt(rangeStart(node)),
  };
}

/**
 * Where to point for a syntax error. The parser notices an unclosed quote or bracket only where the
 * text ends up, often lines later; the value that was left open starts where the writer must look.
 */
function syntaxErrorOffset(doc: Document, error: YAMLError): number {
  const [offset] = error.pos;
  if (error.code !== 'MISSING_CHAR' && error.code !== 'BAD_INDENT') return offset;
  let start = offset;
  visit(doc, {
    Node(_key, node) {
      const range = node.range;
      const open = range && range[0] > 0 && range[0] < offset && (range[1] === offset || range[2] === offset);
      if (range && open && (start === offset || range[0] > start)) start = range[0];
    },
  });
  return start;
}

function rangeStart(node: unknown): number {
  if (isPair(node)) return rangeStart(node.key);
  if (isScalar(node) || isMap(node) || isSeq(node)) return node.range?.[0] ?? 0;
  return 0;
}

/** Describes a YAML value in a message, e.g. `got text "three"`, so the writer sees what was parsed. */
export function describeNode(node: unknown): string {
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (!isScalar(node) || node.value === null || node.value === undefined) return 'nothing';
  const { value } = node;
  if (typeof value === 'string') return `text "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (typeof value === 'number') return `the number ${node.source ?? String(value)}`;
  return String(value);
}

/** Reads free text: strings, and numbers or booleans as written ("404" stays "404", not 404). */
function scalarText(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const { value } = node;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return node.source ?? String(value);
  return undefined;
}

function prefixed(label: string, message: string): string {
  return label ? `${label}: ${message}` : message;
}

/**
 * Reads a text value anywhere (list items, choices), reporting a problem when it is not non-empty text.
 * `line` overrides the node's own line (an empty value has none worth showing).
 */
export function readText(
  yaml: YamlFile,
  node: unknown,
  what: string,
  label = '',
  line = yaml.lineOf(node),
): Located<string> | undefined {
  const text = scalarText(node)?.trim();
  if (text) return { value: text, line: yaml.lineOf(node) };
  const got = isScalar(node) && node.value === '' ? 'nothing' : describeNode(node);
  yaml.log.error(yaml.file, line, prefixed(label, `${what} must be a non-empty string, got ${got}`));
  return undefined;
}

/**
 * Typed access to the keys of one YAML mapping. Each reader reports a missing or mistyped field at the
 * line of the offending key (or of the mapping when the key is absent) and returns undefined, so
 * callers carry on and later problems are still found. Unknown keys are warned about once, on creation.
 */
export class FieldReader {
  readonly line: number;
  private readonly pairs = new Map<string, Pair>();

  constructor(
    private readonly yaml: YamlFile,
    map: YAMLMap,
    private readonly label: string,
    known: readonly string[],
  ) {
    this.line = yaml.lineOf(map);
    for (const pair of map.items) {
      const key = scalarText(pair.key);
      if (key === undefined) {
        this.problem(yaml.lineOf(pair), `keys must be plain names, got ${describeNode(pair.key)}`);
      } else if (known.includes(key)) {
        this.pairs.set(key, pair);
      } else {
        const guess = closestMatch(key, known, 2);
        const hint = guess ? `; did you mean "${guess}"?` : `; expected one of: ${known.join(', ')}`;
        yaml.log.warning(
          yaml.file,
          yaml.lineOf(pair),
          prefixed(label, `unknown key "${key}" (ignored)${hint}`),
        );
      }
    }
  }

  has(key: string): boolean {
    return this.pairs.has(key);
  }

  /** Line of `key`, or of the mapping when the key is absent. */
  lineOfKey(key: string): number {
    const pair = this.pairs.get(key);
    return pair ? this.yaml.lineOf(pair) : this.line;
  }

  /** A required (unless `optional`) non-empty string. */
  text(key: string, optional = false): Located<string> | undefined {
    const node = this.value(key, 'string', optional);
    if (node === undefined) return undefined;
    return readText(this.yaml, node, `"${key}"`, this.label, this.lineOfValue(key, node));
  }

  /** A required number; range checks are the caller's (they differ per field). */
  number(key: string): Located<number> | undefined {
    const node = this.value(key, 'number', false);
    if (node === undefined) return undefined;
    if (isScalar(node) && typeof node.value === 'number' && Number.isFinite(node.value)) {
      return { value: node.value, line: this.yaml.lineOf(node) };
    }
    this.problem(this.lineOfValue(key, node), `"${key}" must be a number, got ${describeNode(node)}`);
    return undefined;
  }

  /** An optional boolean, `fallback` when absent. */
  boolean(key: string, fallback: boolean): boolean {
    const node = this.value(key, 'true or false', true);
    if (node === undefined) return fallback;
    if (isScalar(node) && typeof node.value === 'boolean') return node.value;
    this.problem(this.lineOfValue(key, node), `"${key}" must be true or false, got ${describeNode(node)}`);
    return fallback;
  }

  /** A list's item nodes; `optional` lists default to empty. Undefined when required and absent or not a list. */
  list(key: string, optional = false): unknown[] | undefined {
    const node = this.value(key, 'list', optional);
    if (node === undefined) return optional ? [] : undefined;
    if (isSeq(node)) return node.items;
    if (optional && (node === null || (isScalar(node) && node.value === null))) return [];
    this.problem(this.lineOfValue(key, node), `"${key}" must be a list, got ${describeNode(node)}`);
    return undefined;
  }

  /** A list of strings, each with its own line. */
  textList(key: string, optional = false): Located<string>[] | undefined {
    const items = this.list(key, optional);
    if (items === undefined) return undefined;
    const texts: Located<string>[] = [];
    for (const item of items) {
      const text = readText(this.yaml, item, `each "${key}" entry`, this.label);
      if (text) texts.push(text);
    }
    return texts;
  }

  /** Reports an error about this mapping, prefixed with its label. */
  problem(line: number, message: string): void {
    this.yaml.log.error(this.yaml.file, line, prefixed(this.label, message));
  }

  /** Reports a warning about this mapping, prefixed with its label. */
  warning(line: number, message: string): void {
    this.yaml.log.warning(this.yaml.file, line, prefixed(this.label, message));
  }

  private value(key: string, type: string, optional: boolean): unknown {
    const pair = this.pairs.get(key);
    if (pair) return pair.value ?? null;
    if (!optional) this.problem(this.line, `missing field "${key}" (${type})`);
    return undefined;
  }

  /** An empty value sits on the line after its key, so point at the key instead. */
  private lineOfValue(key: string, node: unknown): number {
    const empty = node === null || (isScalar(node) && node.value === null);
    return empty ? this.lineOfKey(key) : this.yaml.lineOf(node);
  }
}

/** The mapping at `node`, or undefined after reporting what was found instead. */
export function asMap(yaml: YamlFile, node: unknown, what: string, line?: number): YAMLMap | undefined {
  if (isMap(node)) return node;
  yaml.log.error(
    yaml.file,
    line ?? yaml.lineOf(node),
    `${what} must be a mapping, got ${describeNode(node)}`,
  );
  return undefined;
}
