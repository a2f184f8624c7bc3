import { Slices } from '../lib/slices.js';
import type { Content, Roadmap } from '../content/content.types.js';
import type { ProgressRow } from '../db/schema.js';

/** Quotes a CSV field (RFC 4180) and defuses spreadsheet formulas in user text. */
function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** roadmapId -> (setId -> chosen topic id): the learner's picks in "choose one of" sets. */
export type ChoicesByRoadmap = ReadonlyMap<string, ReadonlyMap<string, string>>;

/** "choose one of <set>: chosen" / "…: not chosen" for a member of a set, else ''. */
function alternativeLabel(
  roadmap: Roadmap,
  choices: ReadonlyMap<string, string> | undefined,
  topicId: string,
): string {
  const set = roadmap.alternativeOf.get(topicId);
  if (!set) return '';
  const chosen = (choices?.get(set.id) ?? set.defaultTopicId) === topicId;
  return `choose one of ${set.title}: ${chosen ? 'chosen' : 'not chosen'}`;
}

const CSV_HEADER = [
  'roadmap',
  'step',
  'topic_id',
  'title',
  'estimate_hours',
  'status',
  'status_changed_at',
  'note',
  'alternative',
].join(',');

/**
 * One row per topic of every roadmap: where it sits, its status, dates, the private note, and for a
 * member of a "choose one of" set whether it is the learner's pick. Opens in any spreadsheet.
 * Written in pieces with pauses between rows (notes make it megabytes for the largest account).
 */
export async function* progressCsv(
  content: Content,
  rows: Map<string, ProgressRow>,
  choices: ChoicesByRoadmap = new Map(),
): AsyncGenerator<string> {
  const slices = new Slices();
  let piece = `${CSV_HEADER}\r\n`;
  for (const roadmap of content.roadmapList) {
    for (const step of roadmap.steps) {
      for (const topicId of step.topicIds) {
        const topic = content.topics.get(topicId);
        if (!topic) continue;
        const row = rows.get(topicId);
        piece += `${[
          roadmap.id,
          step.title,
          topic.id,
          topic.title,
          String(topic.estimateHours),
          row?.status ?? 'pending',
          row?.status_changed_at ?? '',
          row?.note ?? '',
          alternativeLabel(roadmap, choices.get(roadmap.id), topic.id),
        ]
          .map(csvField)
          .join(',')}\r\n`;
        if (piece.length >= 64 * 1024) {
          yield piece;
          piece = '';
        }
        await slices.pause();
      }
    }
  }
  if (piece) yield piece;
}

const MARK: Record<string, string> = { done: 'x', skipped: 'x', learning: ' ', pending: ' ' };

/** The roadmap as a Markdown task list (GitHub-style checkboxes), status words after each title. */
export function roadmapChecklistMarkdown(
  content: Content,
  roadmap: Roadmap,
  rows: Map<string, ProgressRow>,
  choices?: ReadonlyMap<string, string>,
): string {
  const out = [`# ${roadmap.title}`, '', roadmap.summary, ''];
  for (const [index, step] of roadmap.steps.entries()) {
    out.push(`## ${index + 1}. ${step.title}`, '');
    for (const group of step.groups) {
      out.push(`### ${group.title}`, '');
      for (const topicId of group.topicIds) {
        const topic = content.topics.get(topicId);
        if (!topic) continue;
        const status = rows.get(topicId)?.status ?? 'pending';
        const alternative = alternativeLabel(roadmap, choices, topicId);
        const label = (status === 'pending' ? '' : ` — ${status}`) + (alternative ? ` — ${alternative}` : '');
        out.push(
          `- [${MARK[status] ?? ' '}] ${topic.title} (${topic.estimateHours} h${topic.optional && !alternative ? ', optional' : ''})${label}`,
        );
      }
      out.push('');
    }
  }
  return out.join('\n');
}
