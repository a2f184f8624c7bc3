import type { JSX, VNode } from 'preact';
import { Field, FormError, type FormState } from '../../web/components/forms.js';
import { Icon } from '../../web/components/icons.js';
import { Layout, type PageContext } from '../../web/layout.js';
import type { ProjectStatus, RunDetail } from '../projects.service.js';
import type { RunView, VerificationView } from '../projects.presenter.js';
import type { Project } from '../projects.types.js';
import {
  CheckItem,
  isFinal,
  ProjectStateBadge,
  RunStateBadge,
  RunSummaryText,
  RUN_STATE_WORDS,
} from './project.components.js';

// The projects list, a project's page (brief, hints, the run form, the live run, history, evidence)
// and the public page of a shared verification. Every action is a plain form; the run island
// (client/run.ts) streams check results in place while a run is going.

export interface ListedProject {
  project: Project;
  status: ProjectStatus;
  topicTitles: Array<{ id: string; title: string; href: string | null }>;
}

export function ProjectsListPage({
  context,
  projects,
}: {
  context: PageContext;
  projects: ListedProject[];
}): VNode {
  const verified = projects.filter((p) => p.status.state === 'verified').length;
  return (
    <Layout {...context} title="Projects" active="projects" styles={['projects/projects']}>
      <h1>Projects</h1>
      <p class="lead">
        Build an API, give Waymark its address, and Waymark runs the project's checks against it. A passing
        run is signed evidence you can share.{' '}
        {context.user ? `You have verified ${verified} of ${projects.length}.` : ''}
      </p>
      <ul class="plain-list project-list">
        {projects.map(({ project, status, topicTitles }) => (
          <li class="card project-card" key={project.id}>
            <h2>
              <a href={`/projects/${project.id}`}>{project.title}</a>
            </h2>
            <p>
              <ProjectStateBadge state={status.state} />{' '}
              <span class="muted">
                {project.difficulty}, about {project.estimateHours} h, {project.checkCount} checks
                {project.capstone ? ', capstone' : ''}
              </span>
            </p>
            <p>{project.summary}</p>
            <p class="muted">Proves: {topicTitles.map((t) => t.title).join(', ')}</p>
          </li>
        ))}
      </ul>
    </Layout>
  );
}

export interface ProjectPageProps {
  context: PageContext;
  project: Project;
  briefHtml: string;
  status: ProjectStatus;
  topicTitles: Array<{ id: string; title: string; href: string | null }>;
  run: RunDetail | null;
  /** Other features' sections of the run panel (feedback on the run). */
  runSections: JSX.Element[];
  runs: RunView[];
  verifications: VerificationView[];
  form: FormState;
  allowPrivate: boolean;
}

function RunPanel({
  project,
  run,
  sections,
}: {
  project: Project;
  run: RunDetail;
  sections: JSX.Element[];
}): VNode {
  const live = !isFinal(run.state);
  return (
    <section
      id="run-panel"
      class="card run-panel"
      aria-labelledby="run-heading"
      data-run-id={run.id}
      data-project-id={project.id}
      data-run-state={run.state}
    >
      {live ? (
        <noscript>
          <meta http-equiv="refresh" content="3" />
        </noscript>
      ) : null}
      <h2 id="run-heading">
        Run of {new Date(run.createdAt).toUTCString()} <RunStateBadge state={run.state} />
      </h2>
      <p id="run-summary" role="status" aria-live="polite">
        <RunSummaryText run={run} />
      </p>
      <ol id="run-checks" class="plain-list check-list" aria-label="Check results">
        {run.checks.map((check) => (
          <CheckItem check={check} key={check.index} />
        ))}
      </ol>
      {live ? (
        <form method="get" action={`/projects/${project.id}`} class="muted" data-no-js-hint="">
          <input type="hidden" name="run" value={run.id} />
          Results appear as each check completes.{' '}
          <button type="submit" class="button button-quiet button-small">
            Refresh results
          </button>
        </form>
      ) : null}
      {run.state === 'interrupted' || run.state === 'errored' ? (
        <form method="post" action={`/projects/${project.id}/runs/${run.id}/retry`}>
          <button type="submit" class="button">
            Retry this run
          </button>
        </form>
      ) : null}
      {sections}
    </section>
  );
}

function Evidence({
  project,
  status,
  verifications,
}: Pick<ProjectPageProps, 'project' | 'status' | 'verifications'>): VNode | null {
  const latest = verifications[0];
  if (!latest) return null;
  const record = latest.signed.record;
  return (
    <section class="card" aria-labelledby="evidence-heading" id="evidence">
      <h2 id="evidence-heading">
        <Icon name="done" /> Verified
      </h2>
      <p>
        Verified on {new Date(record.verifiedAt).toUTCString()}: {record.results.passed} of{' '}
        {record.results.checks} checks passed. The record is signed by this server's Ed25519 key (id{' '}
        <code>{record.keyId}</code>).
      </p>
      <p>
        <a href={`/api/v1/verifications/${latest.id}`}>Signed record (JSON)</a> ·{' '}
        <a href="/.well-known/waymark-verification-key">Public key</a>
      </p>
      <form method="post" action={`/projects/${project.id}/verifications/${latest.id}/sharing`} class="stack">
        <input type="hidden" name="shared" value={latest.shared ? 'off' : 'on'} />
        <p>
          {latest.shared
            ? 'Shared: anyone with the link can see this record.'
            : 'Private: only you can see this record.'}
        </p>
        <button type="submit" class="button button-quiet">
          {latest.shared ? 'Stop sharing (the link stops working)' : 'Create a share link'}
        </button>
      </form>
      {status.state === 'verified' ? (
        <form method="post" action={`/projects/${project.id}/apply-topics`}>
          <p>You may mark the topics this project proves as done.</p>
          <button type="submit" class="button">
            Mark proven topics as done
          </button>
        </form>
      ) : null}
    </section>
  );
}

export function ProjectPage(props: ProjectPageProps): VNode {
  const { context, project, status, run, runs, form } = props;
  return (
    <Layout
      {...context}
      title={project.title}
      active="projects"
      styles={['projects/projects']}
      scripts={run && !isFinal(run.state) ? ['projects/run'] : []}
    >
      <p>
        <a href="/projects">← All projects</a>
      </p>
      <h1>{project.title}</h1>
      <p>
        <ProjectStateBadge state={status.state} />{' '}
        <span class="muted">
          {project.difficulty}, about {project.estimateHours} h, {project.checkCount} checks
        </span>
      </p>
      <div class="project-layout">
        <article class="project-brief" aria-labelledby="brief-heading">
          <h2 id="brief-heading">The brief</h2>
          <div class="prose" dangerouslySetInnerHTML={{ __html: props.briefHtml }} />
          {project.hints.length > 0 ? (
            <details class="hints">
              <summary>Hints ({project.hints.length})</summary>
              <ul>
                {project.hints.map((hint, i) => (
                  <li key={i}>{hint}</li>
                ))}
              </ul>
            </details>
          ) : null}
          <h2>What this proves</h2>
          <ul>
            {project.proves.map((line, i) => (
              <li key={i}>{line}</li>
            ))}
          </ul>
          <p>
            Topics:{' '}
            {props.topicTitles.map((t, i) => (
              <span key={t.id}>
                {i > 0 ? ', ' : ''}
                {t.href ? <a href={t.href}>{t.title}</a> : t.title}
              </span>
            ))}
          </p>
        </article>
        <div class="project-side stack">
          <section class="card" aria-labelledby="check-heading">
            <h2 id="check-heading">Check your API</h2>
            <p>
              <a href={`/api/v1/projects/${project.id}/collection`} download>
                <Icon name="download" /> Download the checks (Postman collection)
              </a>{' '}
              — import it into Postman or run <code>npx newman run</code> with <code>baseUrl</code> set.
            </p>
            {context.user ? (
              <form method="post" action={`/projects/${project.id}/runs`} class="stack" novalidate>
                <FormError message={form.form} />
                <Field
                  id="baseUrl"
                  name="baseUrl"
                  label="Base URL of your API"
                  type="url"
                  value={form.values.baseUrl ?? ''}
                  error={form.fields.baseUrl}
                  hint={
                    props.allowPrivate
                      ? 'For example http://localhost:8080 or https://my-api.example.org'
                      : 'A public http:// or https:// address, e.g. https://my-api.example.org'
                  }
                />
                <button type="submit" class="button">
                  Start a run
                </button>
              </form>
            ) : (
              <p>
                <a href="/signup">Sign up</a> or <a href="/login">log in</a> to run the checks.
              </p>
            )}
          </section>
          <Evidence project={project} status={status} verifications={props.verifications} />
        </div>
      </div>
      {run ? <RunPanel project={project} run={run} sections={props.runSections} /> : null}
      {runs.length > 0 ? (
        <section aria-labelledby="history-heading">
          <h2 id="history-heading">Your runs</h2>
          <table class="run-history">
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">State</th>
                <th scope="col">Checks passed</th>
                <th scope="col">Base URL</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <tr key={r.id}>
                  <td>
                    <a href={`/projects/${project.id}?run=${r.id}#run-panel`}>
                      {new Date(r.createdAt).toUTCString()}
                    </a>
                  </td>
                  <td>
                    {RUN_STATE_WORDS[r.state]}
                    {r.verified ? ' (verified)' : ''}
                  </td>
                  <td>
                    {r.summary.passed} / {r.summary.total}
                  </td>
                  <td>
                    <code>{r.baseUrl}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </Layout>
  );
}

export function SharedVerificationPage({
  context,
  verification,
}: {
  context: PageContext;
  verification: VerificationView;
}): VNode {
  const { record } = verification.signed;
  return (
    <Layout {...context} title={`Verified: ${record.project.title}`} styles={['projects/projects']}>
      <h1>
        <Icon name="done" /> Verified: {record.project.title}
      </h1>
      <p>
        A learner on <strong>{record.instance}</strong> passed {record.results.passed} of{' '}
        {record.results.checks} checks of this project on {new Date(record.verifiedAt).toUTCString()}, run by
        the server against their API.
      </p>
      <dl class="record-facts">
        <dt>Project</dt>
        <dd>
          <code>{record.project.id}</code>
        </dd>
        <dt>Checks (collection sha256)</dt>
        <dd>
          <code>{record.collectionHash}</code>
        </dd>
        <dt>Learner (opaque id)</dt>
        <dd>
          <code>{record.subject}</code>
        </dd>
        <dt>Signing key</dt>
        <dd>
          <code>{record.keyId}</code> (<a href="/.well-known/waymark-verification-key">public key</a>)
        </dd>
      </dl>
      <p>
        Check the signature yourself: <code>waymark verify-record &lt;the address of this page&gt;</code>
      </p>
      <details>
        <summary>Signed record (JSON)</summary>
        <pre>{JSON.stringify(verification.signed, null, 2)}</pre>
      </details>
    </Layout>
  );
}
