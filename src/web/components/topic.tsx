import type { VNode } from 'preact';
import type { Content, Roadmap, Topic, ResourceType } from '../../content/content.types.js';
import { renderMarkdown } from '../../content/markdown.js';
import { NOTE_MAX_LENGTH, type TopicProgress } from '../../progress/progress.service.js';
import { STATUS_ACTIONS, STATUS_WORD } from '../status.js';
import { Icon, type IconName } from './icons.js';
import { StatusBadge } from './progress.js';
import type { Status } from '../../progress/status.js';

// One topic: what to learn (description, key concepts, resources, prerequisites) and the learner's own
// state (status, ticked concepts, note). The same component is the standalone topic page and the side
// panel on the roadmap page. Every control is a plain form that works without JavaScript; the roadmap
// island sends the same changes to the JSON API instead.

const RESOURCE_ICON: Record<ResourceType, IconName> = {
  official: 'official',
  article: 'article',
  video: 'video',
  course: 'course',
  book: 'book',
  tool: 'tool',
};

const RESOURCE_WORD: Record<ResourceType, string> = {
  official: 'Official docs',
  article: 'Article',
  video: 'Video',
  course: 'Course',
  book: 'Book',
  tool: 'Tool',
};

export interface TopicViewProps {
  content: Content;
  roadmap: Roadmap;
  topic: Topic;
  progress: TopicProgress;
  /** Status of other topics (for "Builds on"). */
  statusOf: (topicId: string) => Status;
  /** "page" renders an h1 and the pager; "panel" an h2. */
  mode: 'page' | 'panel';
  /** When a no-JS note save failed: what was typed, and why it was refused. */
  noteDraft?: string | undefined;
  noteError?: string | undefined;
}

export function topicPath(roadmapId: string, topicId: string): string {
  return `/roadmaps/${roadmapId}/topics/${topicId}`;
}

function hours(value: number): string {
  return value === 1 ? 'about 1 hour' : `about ${value} hours`;
}

export function TopicView({
  content,
  roadmap,
  topic,
  progress,
  statusOf,
  mode,
  noteDraft,
  noteError,
}: TopicViewProps): VNode {
  const base = topicPath(roadmap.id, topic.id);
  const status = progress.status as Status;
  const step = roadmap.steps.find((s) => s.id === roadmap.stepOf.get(topic.id));
  const Heading = mode === 'page' ? 'h1' : 'h2';
  const Sub = mode === 'page' ? 'h2' : 'h3';
  const index = roadmap.topicIds.indexOf(topic.id);
  const previous = index > 0 ? content.topics.get(roadmap.topicIds[index - 1] ?? '') : undefined;
  const next = index >= 0 ? content.topics.get(roadmap.topicIds[index + 1] ?? '') : undefined;
  const prerequisites = topic.prerequisites
    .map((id) => content.topics.get(id))
    .filter((t): t is Topic => t !== undefined);
  const ticked = new Set(progress.checklist);
  return (
    <article
      class="topic"
      data-topic={topic.id}
      data-roadmap={roadmap.id}
      data-status={status}
      data-title={topic.title}
      aria-labelledby="topic-title"
    >
      <header class="topic-header">
        <Heading id="topic-title" tabIndex={-1}>
          {topic.title}
        </Heading>
        <ul class="topic-facts">
          {step ? (
            <li>
              Step {roadmap.steps.indexOf(step) + 1}: {step.title}
            </li>
          ) : null}
          <li>{hours(topic.estimateHours)}</li>
          <li>{topic.difficulty}</li>
          {topic.optional ? <li>optional</li> : null}
        </ul>
      </header>

      <form method="post" action={`${base}/status`} class="status-form" data-island="status">
        <fieldset>
          <legend>
            Your status: <StatusBadge status={status} />
          </legend>
          <div class="status-buttons">
            {STATUS_ACTIONS.map((action) => (
              <button
                type="submit"
                name="status"
                value={action.status}
                class={`status-button s-${action.status}`}
                aria-pressed={action.status === status ? 'true' : 'false'}
                aria-keyshortcuts={action.key}
                key={action.status}
              >
                <Icon name={action.status} />
                {action.label}
                <kbd aria-hidden="true">{action.key}</kbd>
              </button>
            ))}
          </div>
        </fieldset>
      </form>

      <div class="prose" dangerouslySetInnerHTML={{ __html: topic.bodyHtml }} />

      {topic.checklist.length ? (
        <section class="topic-section" aria-labelledby="checklist-title">
          <Sub id="checklist-title">Key concepts</Sub>
          <ul class="checklist">
            {topic.checklist.map((item) => {
              const done = ticked.has(item.id);
              return (
                <li key={item.id}>
                  <form method="post" action={`${base}/checklist`} data-island="check">
                    <input type="hidden" name="item" value={item.id} />
                    <input type="hidden" name="done" value={done ? '0' : '1'} />
                    <button
                      type="submit"
                      class="check-button"
                      aria-pressed={done ? 'true' : 'false'}
                      data-item={item.id}
                    >
                      <span class="check-box" aria-hidden="true"></span>
                      <span>{item.text}</span>
                    </button>
                  </form>
                </li>
              );
            })}
          </ul>
        </section>
      ) : null}

      {topic.resources.length ? (
        <section class="topic-section" aria-labelledby="resources-title">
          <Sub id="resources-title">Resources</Sub>
          <ul class="resources">
            {topic.resources.map((resource) => (
              <li key={resource.url}>
                <Icon name={RESOURCE_ICON[resource.type]} />
                <span>
                  <a href={resource.url} rel="noopener noreferrer">
                    {resource.title}
                  </a>
                  <span class="resource-type">{RESOURCE_WORD[resource.type]}</span>
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {prerequisites.length ? (
        <section class="topic-section" aria-labelledby="prereq-title">
          <Sub id="prereq-title">Builds on</Sub>
          <ul class="prereqs">
            {prerequisites.map((prerequisite) => {
              const prerequisiteStatus = statusOf(prerequisite.id);
              return (
                <li key={prerequisite.id}>
                  <a
                    href={topicPath(roadmap.id, prerequisite.id)}
                    data-topic-link={prerequisite.id}
                    class={`s-${prerequisiteStatus}`}
                  >
                    <Icon name={prerequisiteStatus} />
                    {prerequisite.title}
                    <span class="visually-hidden">, {STATUS_WORD[prerequisiteStatus]}</span>
                  </a>
                </li>
              );
            })}
          </ul>
        </section>
      ) : null}

      <section class="topic-section" aria-labelledby="note-title">
        <Sub id="note-title">Your note</Sub>
        <form method="post" action={`${base}/note`} class="note-form" data-island="note">
          <label for="note-text" class="field-hint">
            Private to you. Markdown works: **bold**, lists, [links](https://example.org).
          </label>
          {/* No maxLength: a browser would cut a long paste silently. The counter says how long the note
              is, and a note over the limit is refused with that number, never shortened. */}
          <textarea
            id="note-text"
            name="note"
            rows={6}
            value={noteDraft ?? progress.note}
            data-max-length={NOTE_MAX_LENGTH}
            aria-invalid={noteError ? 'true' : undefined}
            aria-describedby={noteError ? 'note-text-error note-count' : 'note-count'}
          />
          {noteError ? (
            <p class="field-error" id="note-text-error">
              {noteError}
            </p>
          ) : null}
          <div class="note-actions">
            <span class="note-count" id="note-count" data-note-count="">
              {noteCount((noteDraft ?? progress.note).length)}
            </span>
            <span class="note-status" data-note-status="" aria-live="polite">
              {progress.note ? 'Saved' : ''}
            </span>
            <button type="submit" class="button button-quiet button-small">
              Save note
            </button>
          </div>
        </form>
        <NotePreview note={progress.note} />
      </section>

      {mode === 'page' ? (
        <nav class="pager" aria-label="Previous and next topic">
          {previous ? (
            <a href={topicPath(roadmap.id, previous.id)} rel="prev" class="previous">
              <Icon name="arrowLeft" />
              <span>
                <span class="visually-hidden">Previous topic: </span>
                {previous.title}
              </span>
            </a>
          ) : null}
          {next ? (
            <a href={topicPath(roadmap.id, next.id)} rel="next" class="next">
              <span>
                <span class="visually-hidden">Next topic: </span>
                {next.title}
              </span>
              <Icon name="arrowRight" />
            </a>
          ) : null}
        </nav>
      ) : null}
    </article>
  );
}

/** "1,234 of 20,000 characters" (shared with the note island, which keeps it current). */
export function noteCount(length: number): string {
  return `${length.toLocaleString('en')} of ${NOTE_MAX_LENGTH.toLocaleString('en')} characters`;
}

/** The learner's note rendered as Markdown (safe: no raw HTML, no script links). */
export function NotePreview({ note }: { note: string }): VNode {
  return (
    <div
      class="note-preview prose"
      data-note-preview=""
      hidden={note.trim() === ''}
      aria-label="Your note, formatted"
      role="region"
    >
      <p class="note-preview-title" aria-hidden="true">
        Preview of your saved note
      </p>
      <div dangerouslySetInnerHTML={{ __html: note.trim() === '' ? '' : renderMarkdown(note) }} />
    </div>
  );
}
