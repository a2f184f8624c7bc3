import type { VNode } from 'preact';
import { Layout, type PageContext } from '../web/layout.js';
import type { PublicProfile } from './profiles.public.js';

// The public page at /u/{handle}. Everything on it is text the learner chose to publish; Preact
// escapes it. It shows no email, notes, plan or account id.

export function PublicProfilePage({
  context,
  profile,
  origin,
}: {
  context: PageContext;
  profile: PublicProfile;
  origin: string;
}): VNode {
  const { streak } = profile;
  const badge = `/u/${profile.handle}/badge.svg`;
  return (
    <Layout
      {...context}
      title={`${profile.displayName} (@${profile.handle})`}
      description={`${profile.displayName}'s learning progress on Waymark`}
    >
      <h1>
        {profile.displayName} <span class="muted">@{profile.handle}</span>
      </h1>
      <p>
        {streak.current > 0
          ? `Learning streak: ${streak.current} day${streak.current === 1 ? '' : 's'} (longest ${streak.longest}).`
          : `Longest learning streak: ${streak.longest} day${streak.longest === 1 ? '' : 's'}.`}
      </p>

      <section class="card" aria-labelledby="profile-roadmaps">
        <h2 id="profile-roadmaps">Roadmaps</h2>
        {profile.roadmaps.length === 0 ? (
          <p>No roadmap started yet.</p>
        ) : (
          <ul class="profile-roadmaps">
            {profile.roadmaps.map((r) => (
              <li key={r.roadmapId}>
                <a href={`/roadmaps/${r.roadmapId}`}>{r.title}</a>:{' '}
                <progress
                  max={r.total}
                  value={r.done}
                  aria-label={`${r.title}: ${r.percent}% finished`}
                ></progress>{' '}
                {r.percent}% ({r.done} of {r.total} topics)
              </li>
            ))}
          </ul>
        )}
      </section>

      <section class="card" aria-labelledby="profile-projects">
        <h2 id="profile-projects">Verified projects</h2>
        {profile.projects.length === 0 ? (
          <p>No verified project yet.</p>
        ) : (
          <ul>
            {profile.projects.map((p) => (
              <li key={p.verificationId}>
                <a href={p.recordUrl}>{p.title}</a> — verified{' '}
                <time datetime={p.verifiedAt}>{p.verifiedAt.slice(0, 10)}</time> (signed record)
              </li>
            ))}
          </ul>
        )}
      </section>

      <section class="card" aria-labelledby="profile-badge">
        <h2 id="profile-badge">Badge</h2>
        <p>
          <img src={badge} alt={`Waymark badge of ${profile.displayName}`} />
        </p>
        <p>
          Markdown: <code>{`[![Waymark](${origin}${badge})](${origin}/u/${profile.handle})`}</code>
        </p>
      </section>
    </Layout>
  );
}
