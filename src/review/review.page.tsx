import type { VNode } from 'preact';
import { Icon } from '../web/components/icons.js';
import { Layout, type PageContext, type ShortcutRow } from '../web/layout.js';
import { codeSpans, formatDuration, formatMoment } from './review.format.js';
import {
  RATING_LABELS,
  RATINGS,
  type CardStateName,
  type QueueCard,
  type RatingValue,
  type ReviewSummary,
} from './review.service.js';
import { Hidden, ReviewSettings, type ReviewSettingsProps } from './review.forms.js';

// The review page. Without JavaScript every step is a plain form: "Show answer" and the choices are
// GET forms to /review?reveal=<card>, the ratings POST to /review/rate, which redirects back (303).
// The island (client/review.ts) adds keys (Space, A–F, 1–4) and swaps #review-session in place.

/** The page's own props plus what its settings forms show (retention and new cards, with drafts). */
export interface ReviewPageProps extends ReviewSettingsProps {
  context: PageContext;
  /** Null for a visitor without a session (nothing to review yet). */
  summary: ReviewSummary | null;
  card: QueueCard | null;
  /** Where the card's topic lives, for the "from" link. */
  topicHref: string | null;
  revealed: boolean;
  answeredChoice: number | null;
  /** The rating just given, to confirm it. */
  lastRating: RatingValue | null;
  now: Date;
  timeZone: string;
}

const STATE_WORDS: Record<CardStateName, string> = {
  new: 'New card',
  learning: 'Learning',
  review: 'Review',
  relearning: 'Relearning',
};
const LETTERS = 'ABCDEF';
const RATING_KEYS = { 1: 'again', 2: 'hard', 3: 'good', 4: 'easy' } as const;

/** Card text with `code` spans; Preact escapes every part. */
function Rich({ text }: { text: string }): VNode {
  return (
    <>
      {codeSpans(text).map((part, index) => (part.code ? <code key={index}>{part.text}</code> : part.text))}
    </>
  );
}

function Counts({ summary, done }: { summary: ReviewSummary; done: number }): VNode {
  return (
    <ul class="review-counts plain-list" aria-label="Review counts">
      <li>
        <strong>{summary.due}</strong> due
      </li>
      <li>
        <strong>{done}</strong> done this session
      </li>
      <li>
        <strong>{summary.new}</strong> new
      </li>
      {summary.newWaiting > 0 ? (
        <li>
          <strong>{summary.newWaiting}</strong> new waiting (daily limit)
        </li>
      ) : null}
      <li>
        <strong>{summary.total}</strong> in your deck
      </li>
    </ul>
  );
}

function Question({ card, done }: { card: QueueCard; done: number }): VNode {
  const doneField = done > 0 ? done : null;
  if (card.type === 'choice' && card.choices) {
    return (
      <form method="get" action="/review" class="review-choices">
        <Hidden name="reveal" value={card.key} />
        <Hidden name="done" value={doneField} />
        <fieldset>
          <legend>Pick an answer</legend>
          <ul class="choice-list plain-list">
            {card.choices.map((choice, index) => (
              <li key={index}>
                <button
                  type="submit"
                  name="choice"
                  value={String(index)}
                  class="choice-button"
                  data-review-choice={LETTERS[index]}
                >
                  <kbd aria-hidden="true">{LETTERS[index]}</kbd>
                  <span class="choice-text">
                    <Rich text={choice} />
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </fieldset>
        <button type="submit" class="button button-quiet" data-review-reveal>
          Just show the answer <kbd aria-hidden="true">Space</kbd>
        </button>
      </form>
    );
  }
  return (
    <form method="get" action="/review" class="review-reveal">
      <Hidden name="reveal" value={card.key} />
      <Hidden name="done" value={doneField} />
      <button type="submit" class="button" data-review-reveal>
        Show answer <kbd aria-hidden="true">Space</kbd>
      </button>
    </form>
  );
}

function ChoiceOutcome({ card, picked }: { card: QueueCard; picked: number | null }): VNode | null {
  if (!card.choices) return null;
  const right = card.correctChoice;
  return (
    <>
      <ul class="choice-list plain-list" aria-label="Choices">
        {card.choices.map((choice, index) => {
          const isRight = index === right;
          const isPicked = index === picked;
          const cls = `choice-outcome${isRight ? ' is-right' : ''}${isPicked && !isRight ? ' is-wrong' : ''}`;
          return (
            <li key={index} class={cls}>
              <kbd aria-hidden="true">{LETTERS[index]}</kbd>
              <span class="choice-text">
                <Rich text={choice} />
              </span>
              {isRight ? (
                <span class="choice-mark">
                  <Icon name="done" /> {isPicked ? 'Your answer — correct' : 'Correct answer'}
                </span>
              ) : isPicked ? (
                <span class="choice-mark">
                  <Icon name="close" /> Your answer
                </span>
              ) : null}
            </li>
          );
        })}
      </ul>
      {picked === null || right === null ? null : picked === right ? (
        <p class="review-verdict is-right">
          <Icon name="done" /> Right!
        </p>
      ) : (
        <p class="review-verdict is-wrong">
          <Icon name="close" /> Not quite: the answer is {LETTERS[right]}.
        </p>
      )}
    </>
  );
}

function Answer({
  card,
  picked,
  done,
  now,
}: {
  card: QueueCard;
  picked: number | null;
  done: number;
  now: Date;
}): VNode {
  const wrong = picked !== null && card.correctChoice !== null && picked !== card.correctChoice;
  return (
    <>
      {card.type === 'choice' ? <ChoiceOutcome card={card} picked={picked} /> : null}
      <section
        class="review-answer"
        id="review-answer"
        aria-labelledby="review-answer-title"
        tabIndex={-1}
        data-review-focus
      >
        <h3 id="review-answer-title">{card.type === 'choice' ? 'Why' : 'Answer'}</h3>
        <p>
          <Rich text={card.answer} />
        </p>
      </section>
      <form method="post" action="/review/rate" class="review-rate">
        <Hidden name="card" value={card.key} />
        <Hidden name="choice" value={picked} />
        <Hidden name="done" value={done} />
        <fieldset>
          <legend>How well did you remember it?{wrong ? ' (A wrong pick usually means Again.)' : ''}</legend>
          <div class="rating-buttons">
            {RATINGS.map((rating) => (
              <button
                type="submit"
                name="rating"
                value={String(rating)}
                class={`rating-button rating-${RATING_KEYS[rating]}`}
                data-review-rating={rating}
                key={rating}
              >
                <span class="rating-label">{RATING_LABELS[rating]}</span>
                <span class="rating-when">
                  in {formatDuration(Date.parse(card.next[RATING_KEYS[rating]]) - now.getTime())}
                </span>
                <kbd aria-hidden="true">{rating}</kbd>
              </button>
            ))}
          </div>
        </fieldset>
      </form>
    </>
  );
}

function CardView(props: {
  card: QueueCard;
  topicHref: string | null;
  revealed: boolean;
  picked: number | null;
  done: number;
  now: Date;
}): VNode {
  const { card, topicHref, revealed } = props;
  return (
    <article
      class={`card review-card${revealed ? ' is-revealed' : ''}`}
      aria-labelledby="review-question"
      data-card={card.key}
    >
      <p class="review-meta">
        <span class="review-state">{STATE_WORDS[card.schedule.state]}</span>
        <span>from {topicHref ? <a href={topicHref}>{card.topicTitle}</a> : card.topicTitle}</span>
      </p>
      <h2
        id="review-question"
        class="review-question"
        tabIndex={-1}
        {...(revealed ? {} : { 'data-review-focus': true })}
      >
        <Rich text={card.question} />
      </h2>
      {revealed ? (
        <Answer card={card} picked={props.picked} done={props.done} now={props.now} />
      ) : (
        <Question card={card} done={props.done} />
      )}
    </article>
  );
}

function Empty({
  summary,
  done,
  timeZone,
  now,
}: {
  summary: ReviewSummary | null;
  done: number;
  timeZone: string;
  now: Date;
}): VNode {
  if (!summary || summary.total === 0) {
    return (
      <section class="card review-empty" aria-labelledby="review-empty-title">
        <h2 id="review-empty-title" tabIndex={-1} data-review-focus>
          Nothing to review yet
        </h2>
        <p>
          Each topic comes with review cards. They join your deck when you mark the topic{' '}
          <strong>learning</strong> or <strong>done</strong> (ticking one of its key concepts counts too).
        </p>
        <p>
          <a class="button" href="/roadmaps">
            Pick a topic <Icon name="arrowRight" />
          </a>
        </p>
      </section>
    );
  }
  const next = summary.nextDueAt;
  return (
    <section class="card review-empty" aria-labelledby="review-empty-title">
      <h2 id="review-empty-title" tabIndex={-1} data-review-focus>
        All caught up
      </h2>
      <p>
        {done > 0 ? `You reviewed ${done} ${done === 1 ? 'card' : 'cards'} this session. ` : ''}
        {next ? (
          <>
            The next card is due <time dateTime={next}>{formatMoment(next, timeZone)}</time> (in{' '}
            {formatDuration(Date.parse(next) - now.getTime())}).
          </>
        ) : (
          'No cards are waiting.'
        )}
      </p>
    </section>
  );
}

const choiceLetter = (index: number) => String.fromCharCode(65 + index);

/** What "?" lists on this page (client/review.ts answers to these keys). */
const REVIEW_SHORTCUTS: ShortcutRow[] = [
  ['Space', 'Show the answer of a question card'],
  ['A B C D …', 'Pick that choice on a choice card (as many letters as it has choices)'],
  ['1', 'Rate: Again (forgot it)'],
  ['2', 'Rate: Hard'],
  ['3', 'Rate: Good'],
  ['4', 'Rate: Easy'],
];

/** The whole review page; `#review-session` is the part the island replaces after each step. */
export function ReviewPage(props: ReviewPageProps): VNode {
  const { context, summary, card, done, lastRating } = props;
  return (
    <Layout
      {...context}
      title="Review"
      active="review"
      scripts={['review/review']}
      styles={['review/cards']}
      bodyClass="page-review"
      shortcuts={REVIEW_SHORTCUTS}
    >
      <div class="review-page">
        <h1>Review</h1>
        <div id="review-session" class="review-session">
          {lastRating ? (
            <p class="visually-hidden" data-review-announce>
              Rated {RATING_LABELS[lastRating]}.
            </p>
          ) : null}
          {summary ? <Counts summary={summary} done={done} /> : null}
          {card ? (
            <>
              <CardView
                card={card}
                topicHref={props.topicHref}
                revealed={props.revealed}
                picked={props.answeredChoice}
                done={done}
                now={props.now}
              />
              <p class="review-keys muted">
                <Icon name="keyboard" /> Keys:{' '}
                {card.type === 'choice' && card.choices ? (
                  <>
                    <kbd>A</kbd>–<kbd>{choiceLetter(card.choices.length - 1)}</kbd> pick a choice ·{' '}
                  </>
                ) : (
                  <>
                    <kbd>Space</kbd> show the answer ·{' '}
                  </>
                )}
                <kbd>1</kbd>–<kbd>4</kbd> rate Again, Hard, Good, Easy · <kbd>?</kbd> all keys.
              </p>
            </>
          ) : (
            <Empty summary={summary} done={done} timeZone={props.timeZone} now={props.now} />
          )}
        </div>
        {summary ? (
          <ReviewSettings
            desiredRetention={props.desiredRetention}
            retentionDraft={props.retentionDraft}
            retentionError={props.retentionError}
            newCardsPerDay={props.newCardsPerDay}
            newCardsDraft={props.newCardsDraft}
            newCardsError={props.newCardsError}
            done={done}
          />
        ) : null}
      </div>
    </Layout>
  );
}

/** The home page box: cards due now, or when the next one comes. */
export function ReviewWidget({
  summary,
  now,
  timeZone,
}: {
  summary: ReviewSummary;
  now: Date;
  timeZone: string;
}): VNode {
  return (
    <section class="card review-widget" aria-labelledby="review-widget-title">
      <h2 id="review-widget-title">Review</h2>
      {summary.due > 0 ? (
        <>
          <p>
            <strong>{summary.due}</strong> {summary.due === 1 ? 'card is' : 'cards are'} due
            {summary.new > 0 ? ` (${summary.new} new)` : ''}.
          </p>
          <p>
            <a class="button" href="/review">
              Start reviewing <Icon name="arrowRight" />
            </a>
          </p>
        </>
      ) : (
        <p>
          All caught up.
          {summary.nextDueAt ? (
            <>
              {' '}
              Next card <time dateTime={summary.nextDueAt}>
                {formatMoment(summary.nextDueAt, timeZone)}
              </time>{' '}
              (in {formatDuration(Date.parse(summary.nextDueAt) - now.getTime())}).{' '}
              <a href="/review">Review page</a>
            </>
          ) : null}
        </p>
      )}
    </section>
  );
}
