import type { AlternativeSet, Content, Roadmap } from '../content/content.types.js';
import type { Queryable, WriteTx } from '../db/types.js';
import { problems } from '../http/problems.js';
import type { AlternativeChoice } from '../plan/scheduler.js';
import * as repo from './alternatives.repository.js';

// A learner's picks in a roadmap's "choose one of" sets. Other features read them through
// `choicesFor` (setId -> chosen topic) and `schedulerSets`; only this feature writes them.

/** setId -> chosen topic id, for every set of the roadmap. */
export type Choices = ReadonlyMap<string, string>;

/** One set with the learner's pick, as the API and pages show it. */
export interface SetChoice {
  set: AlternativeSet;
  chosenTopicId: string;
  /** False while the learner has not chosen (the default applies). */
  chosenByLearner: boolean;
  updatedAt: string | null;
}

/**
 * The chosen member of every set: the stored pick when it is still a member (content may have been
 * revised since), else the set's default.
 */
export function resolveChoices(
  roadmap: Roadmap,
  stored: ReadonlyMap<string, string> = new Map(),
): Map<string, string> {
  return new Map(
    roadmap.alternatives.map((set) => {
      const pick = stored.get(set.id);
      return [set.id, pick !== undefined && set.topicIds.includes(pick) ? pick : set.defaultTopicId];
    }),
  );
}

/** The learner's picks in one roadmap (defaults for a guest without any, or for nobody). */
export async function choicesFor(
  db: Queryable,
  roadmap: Roadmap,
  userId: string | null,
): Promise<Map<string, string>> {
  if (!userId || roadmap.alternatives.length === 0) return resolveChoices(roadmap);
  const rows = await repo.listChoices(db, userId, roadmap.id);
  return resolveChoices(roadmap, new Map(rows.map((row) => [row.set_id, row.topic_id])));
}

/** The sets in the shape the scheduler takes. */
export function schedulerSets(roadmap: Roadmap, choices: Choices): AlternativeChoice[] {
  return roadmap.alternatives.map((set) => ({
    topicIds: set.topicIds,
    chosen: choices.get(set.id) ?? set.defaultTopicId,
    required: set.required,
  }));
}

/** True when `topicId` is a member of a set of the roadmap that the learner did not choose. */
export function isNotChosen(roadmap: Roadmap, choices: Choices, topicId: string): boolean {
  const set = roadmap.alternativeOf.get(topicId);
  return set !== undefined && (choices.get(set.id) ?? set.defaultTopicId) !== topicId;
}

/** Every set of the roadmap with the learner's pick. */
export async function listSetChoices(
  db: Queryable,
  roadmap: Roadmap,
  userId: string | null,
): Promise<SetChoice[]> {
  const rows =
    userId && roadmap.alternatives.length > 0 ? await repo.listChoices(db, userId, roadmap.id) : [];
  const byId = new Map(rows.map((row) => [row.set_id, row]));
  return roadmap.alternatives.map((set) => {
    const row = byId.get(set.id);
    const valid = row !== undefined && set.topicIds.includes(row.topic_id);
    return {
      set,
      chosenTopicId: valid ? row.topic_id : set.defaultTopicId,
      chosenByLearner: valid,
      updatedAt: valid ? row.updated_at : null,
    };
  });
}

/** The set, or a 404 naming the sets that exist. */
export function requireSet(roadmap: Roadmap, setId: string): AlternativeSet {
  const set = roadmap.alternatives.find((candidate) => candidate.id === setId);
  if (set) return set;
  const known = roadmap.alternatives.map((candidate) => candidate.id).join(', ') || 'none';
  throw problems.notFound(
    'Alternative set',
    `The ${roadmap.title} roadmap has no alternative set "${setId}". Its sets: ${known}.`,
  );
}

/**
 * Stores the learner's pick in one set (`null` goes back to the default). Progress is keyed by topic
 * and is never touched, so switching back and forth loses nothing. Runs in the caller's transaction.
 */
export async function setChoice(
  db: WriteTx,
  content: Content,
  roadmap: Roadmap,
  userId: string,
  setId: string,
  topicId: string | null,
  now: string,
): Promise<SetChoice> {
  const set = requireSet(roadmap, setId);
  const id = topicId === null ? null : (content.aliases.get(topicId) ?? topicId);
  if (id === null) {
    await repo.deleteChoice(db, userId, roadmap.id, set.id);
    return { set, chosenTopicId: set.defaultTopicId, chosenByLearner: false, updatedAt: null };
  }
  if (!set.topicIds.includes(id)) {
    throw problems.notInAlternativeSet(
      `"${topicId}" is not one of the topics of "${set.title}". Choose one of: ${set.topicIds.join(', ')}.`,
      [{ pointer: '/body/topicId', message: `must be one of ${set.topicIds.join(', ')}` }],
    );
  }
  await repo.putChoice(db, {
    user_id: userId,
    roadmap_id: roadmap.id,
    set_id: set.id,
    topic_id: id,
    updated_at: now,
  });
  return { set, chosenTopicId: id, chosenByLearner: true, updatedAt: now };
}
