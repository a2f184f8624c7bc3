import type { VNode } from 'preact';
import type { AlternativeSet, Content, Roadmap } from '../../content/content.types.js';

// "Choose one of" sets on the pages: a framed, labelled chooser (a plain form, so it works without
// JavaScript) and the words that mark a member as "chosen" or as an alternative. Shape and words, never
// colour alone: the frame is dashed and titled "Choose one of", the pick says "chosen" in text.

/** The member the learner chose in `set` (or the default). */
export function chosenIn(set: AlternativeSet, choices: ReadonlyMap<string, string>): string {
  return choices.get(set.id) ?? set.defaultTopicId;
}

/** How a topic of a roadmap takes part in a set: "chosen", "alternative", or null when in no set. */
export function alternativeRole(
  roadmap: Roadmap,
  choices: ReadonlyMap<string, string>,
  topicId: string,
): 'chosen' | 'alternative' | null {
  const set = roadmap.alternativeOf.get(topicId);
  if (!set) return null;
  return chosenIn(set, choices) === topicId ? 'chosen' : 'alternative';
}

export function choicePath(roadmapId: string, setId: string): string {
  return `/roadmaps/${roadmapId}/alternatives/${setId}`;
}

/** One set as a dashed, titled frame with a radio per member and a "Choose" button. */
export function AlternativeChooser(props: {
  content: Content;
  roadmap: Roadmap;
  set: AlternativeSet;
  choices: ReadonlyMap<string, string>;
  /** Where the form returns to. */
  returnTo: string;
}): VNode {
  const { content, roadmap, set, choices } = props;
  const chosen = chosenIn(set, choices);
  return (
    <form
      method="post"
      action={choicePath(roadmap.id, set.id)}
      class="alt-set"
      id={`alt-${set.id}`}
      data-alternative-set={set.id}
    >
      <fieldset>
        <legend>
          Choose one of: {set.title}
          {set.required ? null : <span class="topic-meta"> · optional</span>}
        </legend>
        {set.summary ? <p class="alt-summary">{set.summary}</p> : null}
        <ul class="alt-members">
          {set.topicIds.map((id) => {
            const topic = content.topics.get(id);
            return (
              <li key={id} class={id === chosen ? 'alt-chosen' : undefined}>
                <label>
                  <input type="radio" name="topicId" value={id} checked={id === chosen} />{' '}
                  {topic?.title ?? id}
                  <span class="topic-meta">
                    {' '}
                    · {topic?.estimateHours ?? 0} h{id === set.defaultTopicId ? ' · default' : ''}
                  </span>
                  {id === chosen ? <strong class="alt-tag"> · chosen</strong> : null}
                </label>
              </li>
            );
          })}
        </ul>
        <input type="hidden" name="return" value={props.returnTo} />
        <button type="submit" class="button">
          Choose
        </button>{' '}
        <span class="topic-meta">Your plan follows your choice; progress on every topic is kept.</span>
      </fieldset>
    </form>
  );
}

/** Every set of the roadmap, for the top of the roadmap page. */
export function AlternativeChoosers(props: {
  content: Content;
  roadmap: Roadmap;
  choices: ReadonlyMap<string, string>;
  returnTo: string;
}): VNode | null {
  if (props.roadmap.alternatives.length === 0) return null;
  return (
    <section class="alt-sets" aria-labelledby="alt-sets-title">
      <h2 id="alt-sets-title">Your choices</h2>
      <p class="step-summary">
        Some topics are interchangeable: learn one of each group. Progress on any of them counts for the
        group.
      </p>
      {props.roadmap.alternatives.map((set) => (
        <AlternativeChooser key={set.id} {...props} set={set} />
      ))}
    </section>
  );
}

/** On a topic page: which set the topic belongs to, whether it is the pick, and a button to pick it. */
export function AlternativeNote(props: {
  content: Content;
  roadmap: Roadmap;
  topicId: string;
  choices: ReadonlyMap<string, string>;
}): VNode | null {
  const { content, roadmap, topicId, choices } = props;
  const set = roadmap.alternativeOf.get(topicId);
  if (!set) return null;
  const chosen = chosenIn(set, choices);
  const others = set.topicIds.filter((id) => id !== topicId).map((id) => content.topics.get(id)?.title ?? id);
  return (
    <form method="post" action={choicePath(roadmap.id, set.id)} class="alt-set alt-note">
      <fieldset>
        <legend>Choose one of: {set.title}</legend>
        <p>
          {chosen === topicId ? (
            <strong>This is your choice (chosen).</strong>
          ) : (
            <>
              Not your current choice: you chose{' '}
              <a href={`/roadmaps/${roadmap.id}/topics/${chosen}`}>
                {content.topics.get(chosen)?.title ?? chosen}
              </a>
              .
            </>
          )}{' '}
          The alternatives: {others.join(', ')}.
        </p>
        {chosen === topicId ? null : (
          <>
            <input type="hidden" name="topicId" value={topicId} />
            <input type="hidden" name="return" value={`/roadmaps/${roadmap.id}/topics/${topicId}`} />
            <button type="submit" class="button">
              Choose this one instead
            </button>
          </>
        )}
      </fieldset>
    </form>
  );
}
