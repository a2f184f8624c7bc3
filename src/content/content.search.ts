import { foldText } from './content.ids.js';
import type { Content } from './content.types.js';
import { markdownToPlainText } from './markdown.js';

// Topic search for the search box: word-prefix matching ("auth" finds "authentication"), case- and
// accent-insensitive ("cafe" finds "Café"), every query word required. An in-memory map from each word
// prefix to the topics containing it: a few hundred topics need nothing bigger.

/** How much a match in each field counts: a title match outranks a passing mention. */
const WEIGHTS = { title: 10, names: 4, checklist: 3, description: 1 };
/** Extra share of the field weight when the query word is a whole word, not just a prefix. */
const WHOLE_WORD_BONUS = 0.5;
/** Longer words are indexed by their first characters only, which keeps the index small. */
const MAX_PREFIX = 24;

export interface SearchIndex {
  /** word prefix -> topic id -> summed weight of the fields holding a word with that prefix */
  prefixes: Map<string, Map<string, number>>;
  /** whole word -> topic id -> summed weight of the fields holding it */
  words: Map<string, Map<string, number>>;
  topics: Map<string, { title: string; roadmapIds: string[] }>;
}

/** Splits text into folded words: "Café's API" -> ["cafe", "s", "api"]. */
export function tokenize(text: string): string[] {
  return foldText(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '');
}

function add(map: Map<string, Map<string, number>>, key: string, topicId: string, weight: number): void {
  const hits = map.get(key) ?? new Map<string, number>();
  hits.set(topicId, (hits.get(topicId) ?? 0) + weight);
  map.set(key, hits);
}

function indexField(index: SearchIndex, topicId: string, text: string, weight: number): void {
  const words = new Set(tokenize(text).map((word) => word.slice(0, MAX_PREFIX)));
  const prefixes = new Set<string>();
  for (const word of words) {
    add(index.words, word, topicId, weight);
    for (let length = 1; length <= word.length; length++) prefixes.add(word.slice(0, length));
  }
  for (const prefix of prefixes) add(index.prefixes, prefix, topicId, weight);
}

/**
 * Builds the search index once per content load (content is immutable while the server runs).
 *
 * @example const index = buildSearchIndex(content); searchTopics(index, 'json web tok');
 */
export function buildSearchIndex(content: Content): SearchIndex {
  const index: SearchIndex = { prefixes: new Map(), words: new Map(), topics: new Map() };
  for (const topic of content.topics.values()) {
    index.topics.set(topic.id, { title: topic.title, roadmapIds: topic.roadmapIds });
    indexField(index, topic.id, topic.title, WEIGHTS.title);
    indexField(index, topic.id, [topic.id, ...topic.aliases, ...topic.tools].join(' '), WEIGHTS.names);
    indexField(index, topic.id, topic.checklist.map((item) => item.text).join(' '), WEIGHTS.checklist);
    indexField(index, topic.id, markdownToPlainText(topic.bodyMarkdown), WEIGHTS.description);
  }
  return index;
}

/**
 * Topic ids matching every word of `query` as a word prefix, best first (title matches and whole
 * words rank higher; ties by title). `roadmapId` keeps only topics that roadmap places.
 */
export function searchTopics(index: SearchIndex, query: string, roadmapId?: string): string[] {
  const terms = [...new Set(tokenize(query).map((word) => word.slice(0, MAX_PREFIX)))];
  if (terms.length === 0) return [];
  let scores: Map<string, number> | undefined;
  for (const term of terms) {
    const next = new Map<string, number>();
    const wholeWords = index.words.get(term);
    for (const [topicId, weight] of index.prefixes.get(term) ?? []) {
      if (scores && !scores.has(topicId)) continue;
      const bonus = (wholeWords?.get(topicId) ?? 0) * WHOLE_WORD_BONUS;
      next.set(topicId, (scores?.get(topicId) ?? 0) + weight + bonus);
    }
    scores = next;
  }
  const title = (id: string): string => index.topics.get(id)?.title ?? id;
  return [...(scores ?? new Map<string, number>())]
    .filter(([id]) => !roadmapId || index.topics.get(id)?.roadmapIds.includes(roadmapId))
    .sort(([a, scoreA], [b, scoreB]) => scoreB - scoreA || title(a).localeCompare(title(b), 'en'))
    .map(([id]) => id);
}
