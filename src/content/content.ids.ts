/** Topic, card, step and roadmap ids: kebab-case slugs, stable forever (progress is keyed by them). */
export const ID_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const ID_MAX_LENGTH = 64;

/** Whether `id` may be used as a topic, card, step or roadmap id. */
export function isValidId(id: string): boolean {
  return id.length <= ID_MAX_LENGTH && ID_PATTERN.test(id);
}

/** The sentence a writer reads when an id is malformed: says what is allowed, not just "invalid". */
export function invalidIdMessage(what: string, id: string): string {
  return `${what} "${id}" must be lowercase letters and digits joined by single hyphens, at most ${ID_MAX_LENGTH} characters`;
}

/** Lower-cases and strips accents so "Café" and "cafe" compare equal (used by slugs and search). */
export function foldText(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * Kebab slug of free text, e.g. checklist item ids: "Pick the right method & status code" ->
 * "pick-the-right-method-status-code". Progress on checklist items is keyed by it.
 */
export function slugify(text: string): string {
  return foldText(text)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, ID_MAX_LENGTH)
    .replace(/-+$/, '');
}

/** Edit distance, for "did you mean" hints on misspelt keys and ids. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The closest candidate within `maxEdits` edits, or undefined: turns "unknown X" into "did you mean Y?".
 * Keep `maxEdits` small where candidates look alike ("git-basics" is not a typo of "gcp-basics").
 */
export function closestMatch(
  word: string,
  candidates: Iterable<string>,
  maxEdits: number,
): string | undefined {
  let best: string | undefined;
  let bestDistance = maxEdits + 1;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
