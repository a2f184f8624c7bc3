import type { VNode } from 'preact';
import type { CommentView } from './feedback.service.js';

// Pieces of the feedback pages: a thread (comments oldest first, Markdown rendered safely by the
// service: raw HTML escaped, only web/mail/relative links) and the form that adds to it.

export function Thread({ comments, label }: { comments: readonly CommentView[]; label: string }): VNode {
  if (comments.length === 0) return <p class="muted">No comments yet.</p>;
  return (
    <ol class="plain-list feedback-thread" aria-label={label}>
      {comments.map((c) => (
        <li key={c.id} class={`feedback-comment ${c.read ? '' : 'feedback-unread'}`} id={`comment-${c.id}`}>
          <p class="feedback-meta">
            <strong>{c.author.name}</strong> ({c.author.role}) ·{' '}
            <time datetime={c.createdAt}>{c.createdAt.slice(0, 16).replace('T', ' ')} UTC</time>
            {c.read ? null : <span class="badge"> new</span>}
          </p>
          <div class="prose" dangerouslySetInnerHTML={{ __html: c.html }} />
        </li>
      ))}
    </ol>
  );
}

export function CommentForm({
  action,
  label,
  hidden,
  error,
  draft,
  idPrefix,
}: {
  action: string;
  label: string;
  hidden: Record<string, string>;
  error?: string | null;
  draft?: string;
  idPrefix: string;
}): VNode {
  const id = `${idPrefix}-body`;
  return (
    <form method="post" action={action} class="feedback-form">
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <label for={id}>{label}</label>
      <span class="field-hint" id={`${id}-hint`}>
        Markdown works: **bold**, lists, [links](https://example.org).
      </span>
      <textarea
        id={id}
        name="body"
        rows={4}
        required
        value={draft ?? ''}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${id}-hint ${id}-error` : `${id}-hint`}
      />
      {error ? (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
      <button type="submit" class="button">
        Send
      </button>
    </form>
  );
}
