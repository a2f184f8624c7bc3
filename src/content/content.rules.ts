import type { Links } from './content.links.js';
import type { ProblemLog } from './content.problems.js';
import type { RoadmapDraft } from './content.roadmap.js';
import type { TopicDraft } from './content.topic.js';
import type { AlternativeSet, LintProblem } from './content.types.js';

// Curriculum rules: checks on a roadmap as a whole, run once every file has been read and linked.
// They keep the promises the planner and the review cards make to a learner.

/**
 * How seriously each rule is reported. A rule starts as a warning while the shipped content is being
 * brought into line (main must stay green) and becomes an error once `npm run lint:content` is clean.
 */
export const RULE_SEVERITY: Record<'requiredOnOptional' | 'longestAnswer', LintProblem['severity']> = {
  requiredOnOptional: 'error',
  longestAnswer: 'error',
};

/** Above this share of choice cards whose correct option is the longest one, answers can be guessed. */
export const LONGEST_ANSWER_LIMIT = 0.4;
/** Below this many multiple-choice cards a share says little (one card of two is 50%). */
export const LONGEST_ANSWER_MIN_CARDS = 10;

/** Runs every curriculum rule over every roadmap. */
export function checkCurriculum(roadmaps: RoadmapDraft[], links: Links, log: ProblemLog): void {
  const reported = new Set<string>();
  for (const roadmap of roadmaps) {
    const placed = placedTopics(roadmap, links.topics);
    const sets = links.alternatives.get(roadmap.id) ?? [];
    checkRequiredOnOptional(roadmap, placed, sets, links.topics, reported, log);
    checkLongestAnswers(roadmap, placed, log);
  }
}

function placedTopics(roadmap: RoadmapDraft, topics: ReadonlyMap<string, TopicDraft>): TopicDraft[] {
  return roadmap.steps
    .flatMap((step) => step.groups.flatMap((group) => group.topics))
    .map((ref) => topics.get(ref.value))
    .filter((topic): topic is TopicDraft => topic !== undefined);
}

/**
 * A required topic must not depend on an optional one: the planner would schedule the required topic
 * without what it builds on. Depending on a member of a required alternative set is fine, because the
 * planner reads it as "whichever member the learner chose".
 */
function checkRequiredOnOptional(
  roadmap: RoadmapDraft,
  placed: TopicDraft[],
  sets: AlternativeSet[],
  topics: ReadonlyMap<string, TopicDraft>,
  reported: Set<string>,
  log: ProblemLog,
): void {
  const setOf = new Map(sets.flatMap((set) => set.topicIds.map((id): [string, AlternativeSet] => [id, set])));
  for (const topic of placed) {
    if (topic.optional) continue;
    for (const prerequisite of topic.prerequisites) {
      const needed = topics.get(prerequisite.value);
      if (!needed?.optional || setOf.get(needed.id)?.required) continue;
      const key = `${topic.id} ${needed.id}`;
      if (reported.has(key)) continue;
      reported.add(key);
      const message =
        `required topic "${topic.id}" depends on optional topic "${needed.id}" (roadmap "${roadmap.id}"): ` +
        `make "${needed.id}" required, drop the prerequisite, or make it a member of a required alternative set`;
      report(log, RULE_SEVERITY.requiredOnOptional, topic.source.file, prerequisite.line, message);
    }
  }
}

/**
 * A learner who always picks the longest option should not pass the review. Flags the roadmap when
 * the correct option is strictly the longest in more than 40% of its multiple-choice cards (judged from
 * ten such cards up).
 */
function checkLongestAnswers(roadmap: RoadmapDraft, placed: TopicDraft[], log: ProblemLog): void {
  let choiceCards = 0;
  const longestByTopic = new Map<string, number>();
  for (const topic of placed) {
    for (const card of topic.cards) {
      if (card.type !== 'choice' || !card.choices || card.correct === undefined) continue;
      choiceCards += 1;
      if (correctIsLongest(card.choices, card.correct)) {
        longestByTopic.set(topic.id, (longestByTopic.get(topic.id) ?? 0) + 1);
      }
    }
  }
  const longest = [...longestByTopic.values()].reduce((sum, n) => sum + n, 0);
  if (choiceCards < LONGEST_ANSWER_MIN_CARDS || longest / choiceCards <= LONGEST_ANSWER_LIMIT) return;
  const worst = [...longestByTopic]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 5)
    .map(([id, n]) => `${id} (${n})`);
  const message =
    `the correct option is the longest one in ${percent(longest / choiceCards)} of this roadmap's ` +
    `multiple-choice cards (${longest} of ${choiceCards}; at most ${percent(LONGEST_ANSWER_LIMIT)}), so ` +
    `answers can be guessed by length: vary which option is longest, most in ${worst.join(', ')}`;
  report(log, RULE_SEVERITY.longestAnswer, roadmap.file, roadmap.line, message);
}

/** True when the correct option is longer than every other option (a tie gives nothing away). */
export function correctIsLongest(choices: string[], correct: number): boolean {
  const length = (text: string): number => [...text.trim()].length;
  const answer = length(choices[correct] ?? '');
  return choices.every((choice, index) => index === correct || length(choice) < answer);
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

function report(
  log: ProblemLog,
  severity: LintProblem['severity'],
  file: string,
  line: number,
  message: string,
): void {
  if (severity === 'error') log.error(file, line, message);
  else log.warning(file, line, message);
}
