import type { VNode } from 'preact';
import type { PublicApiToken, PublicSession } from '../../auth/auth.presenters.js';
import { PASSWORD_MAX, PASSWORD_MIN } from '../../auth/credentials.js';
import type { Roadmap } from '../../content/content.types.js';
import { Field, FormError, type FormState } from '../components/forms.js';
import { Icon } from '../components/icons.js';
import { Layout, type PageContext } from '../layout.js';
import { EmailState } from './email.pages.js';
import { afterData, type RenderedSection } from '../settings-sections.js';
import { RevokeForm, TokensSection, when } from './settings.tokens.js';

// Account settings. Every form works without JavaScript (posting to /settings/…); with it, the forms call
// the JSON API directly (data-api) and the settings island handles the token secret and file import.

export type SettingsForm = 'password' | 'token' | 'import' | 'reset' | 'delete';

export interface SettingsPageProps {
  context: PageContext;
  roadmaps: Roadmap[];
  sessions: PublicSession[];
  tokens: PublicApiToken[];
  forms: Partial<Record<SettingsForm, FormState>>;
  /** A token just created without JavaScript: its secret is shown this once. */
  newToken: { name: string; secret: string } | null;
  /** Other features' sections (settings-sections.ts). */
  sections?: readonly RenderedSection[];
}

/** "Firefox on Linux" from a user-agent string: enough to recognise one's own devices. */
export function describeDevice(userAgent: string): string {
  if (!userAgent) return 'Unknown device';
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /Firefox\//.test(userAgent)
      ? 'Firefox'
      : /Chrom(e|ium)\//.test(userAgent)
        ? 'Chrome'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : /curl\//i.test(userAgent)
            ? 'curl'
            : null;
  const system = /Android/.test(userAgent)
    ? 'Android'
    : /iPhone|iPad/.test(userAgent)
      ? 'iOS'
      : /Windows/.test(userAgent)
        ? 'Windows'
        : /Mac OS X/.test(userAgent)
          ? 'macOS'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : null;
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system ?? userAgent.slice(0, 60);
}

/** The page's sections in order, and who sees each (the navigation lists the same ones). */
const SECTIONS: {
  id: string;
  label: string;
  shown: (who: { user: PageContext['user']; account: boolean }) => boolean;
}[] = [
  { id: 'account', label: 'Account', shown: () => true },
  { id: 'password', label: 'Password', shown: ({ account }) => account },
  { id: 'sessions', label: 'Sessions', shown: ({ user }) => user !== null },
  { id: 'tokens', label: 'API tokens', shown: ({ account }) => account },
  { id: 'data', label: 'Your data', shown: () => true },
  { id: 'delete', label: 'Delete account', shown: ({ user }) => user !== null },
];

export function SettingsPage({
  context,
  roadmaps,
  sessions,
  tokens,
  forms,
  newToken,
  sections = [],
}: SettingsPageProps): VNode {
  const user = context.user;
  const account = user !== null && !user.isGuest;
  const form = (name: SettingsForm): FormState => forms[name] ?? { fields: {}, form: null, values: {} };
  const shown = SECTIONS.filter((section) => section.shown({ user, account }));
  return (
    <Layout {...context} title="Settings" active="settings" scripts={['web/settings']}>
      <h1>Settings</h1>
      <nav class="settings-nav" aria-label="Settings sections">
        <ul>
          {afterData(shown, sections).map((section) => (
            <li key={section.id}>
              <a href={`#${section.id}`}>{section.label}</a>
            </li>
          ))}
        </ul>
      </nav>

      <section class="card settings-section" id="account" aria-labelledby="account-title">
        <h2 id="account-title">Account</h2>
        {account ? (
          <>
            <p>
              Signed in as <strong>{user.email}</strong>.
            </p>
            {context.mail ? <EmailState verified={user.emailVerified} /> : null}
          </>
        ) : user ? (
          <p>
            You are using Waymark as a <strong>guest</strong>: your progress is saved on this server for this
            browser only. <a href="/signup?return=/settings">Sign up</a> to keep it on every device
            (everything you did stays), or <a href="/login?return=/settings">log in</a> to add it to your
            account.
          </p>
        ) : (
          <p>
            You have not saved anything yet: marking your first topic starts a guest session.{' '}
            <a href="/signup?return=/settings">Sign up</a> or <a href="/login?return=/settings">log in</a> to
            use an account.
          </p>
        )}
      </section>

      {account ? (
        <section class="card settings-section" id="password" aria-labelledby="password-title">
          <h2 id="password-title">Change password</h2>
          <form
            method="post"
            action="/settings/password"
            data-api="POST /api/v1/me/password"
            data-then="reset"
            data-success="Password changed. Your other sessions were signed out."
            novalidate
          >
            <FormError message={form('password').form} />
            <p class="form-success flash" role="status" hidden data-form-success=""></p>
            <Field
              id="current-password"
              name="currentPassword"
              label="Current password"
              type="password"
              autocomplete="current-password"
              required
              error={form('password').fields.currentPassword}
            />
            <Field
              id="new-password"
              name="newPassword"
              label="New password"
              type="password"
              autocomplete="new-password"
              required
              hint={`${PASSWORD_MIN} to ${PASSWORD_MAX} characters. Changing it signs out your other sessions.`}
              error={form('password').fields.newPassword}
            />
            <div class="field">
              <label>
                <input type="checkbox" name="keepApiTokens" value="true" data-send="" /> Keep my API tokens
                and calendar feed links working
              </label>
              <span class="field-hint">
                Unticked (the default), changing the password also revokes every API token and calendar feed
                link, in case one leaked with the old password.
              </span>
            </div>
            <button type="submit" class="button">
              Change password
            </button>
          </form>
        </section>
      ) : null}

      {user ? (
        <section class="card settings-section" id="sessions" aria-labelledby="sessions-title">
          <h2 id="sessions-title">Sessions</h2>
          <p class="muted">Browsers signed in to your account. Revoke any you do not recognise.</p>
          <div class="table-scroll">
            <table class="data-table">
              <thead>
                <tr>
                  <th scope="col">Device</th>
                  <th scope="col">Address</th>
                  <th scope="col">Signed in</th>
                  <th scope="col">Last seen</th>
                  <th scope="col">
                    <span class="visually-hidden">Action</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {sessions.map((session) => (
                  <tr key={session.id} data-session={session.id}>
                    <td>
                      {describeDevice(session.userAgent)}
                      {session.current ? <strong> (this browser)</strong> : null}
                    </td>
                    <td>{session.ip}</td>
                    <td>{when(session.createdAt)}</td>
                    <td>{when(session.lastSeenAt)}</td>
                    <td>
                      {session.current ? null : (
                        <RevokeForm
                          kind="session"
                          id={session.id}
                          what={`session from ${describeDevice(session.userAgent)}`}
                        />
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}

      {account ? <TokensSection tokens={tokens} newToken={newToken} form={form('token')} /> : null}

      <section class="card settings-section" id="data" aria-labelledby="data-title">
        <h2 id="data-title">Your data</h2>
        {user ? (
          <>
            <h3>Export</h3>
            <p>
              Everything you entered — statuses, notes, checklists, activity, plans and reviews — as one JSON
              file you can import here or elsewhere.
            </p>
            <p>
              <a class="button button-quiet" href="/api/v1/me/export?download=1" download="">
                <Icon name="download" /> Download my data (JSON)
              </a>
            </p>
          </>
        ) : null}
        <h3>Import</h3>
        <form method="post" action="/settings/import" data-import-form="" novalidate>
          <FormError message={form('import').form} />
          <p class="form-success flash" role="status" hidden data-form-success=""></p>
          <div class="field" data-import-file="" hidden>
            <label for="import-file">Waymark export file (.json)</label>
            <input id="import-file" type="file" accept="application/json,.json" />
          </div>
          <div class="field" data-import-text="">
            <label for="import-document">Paste the content of a Waymark export file</label>
            <textarea
              id="import-document"
              name="document"
              rows={4}
              aria-invalid={form('import').fields.document ? 'true' : undefined}
              aria-describedby={form('import').fields.document ? 'import-document-error' : undefined}
            >
              {form('import').values.document ?? ''}
            </textarea>
            {form('import').fields.document ? (
              <p class="field-error" id="import-document-error">
                {form('import').fields.document}
              </p>
            ) : null}
          </div>
          <p class="field-hint">
            Importing is all or nothing, and importing the same file twice changes nothing.
          </p>
          <button type="submit" class="button button-quiet">
            <Icon name="upload" /> Import
          </button>
        </form>

        {user ? (
          <>
            <h3>Reset a roadmap</h3>
            <form
              method="post"
              action="/settings/reset"
              data-api="DELETE /api/v1/roadmaps/{roadmapId}/progress"
              data-then="reset"
              data-success="Progress reset. Your notes are kept."
            >
              <FormError message={form('reset').form} />
              <p class="form-success flash" role="status" hidden data-form-success=""></p>
              <div class="field">
                <label for="reset-roadmap">Roadmap</label>
                <select id="reset-roadmap" name="roadmapId">
                  {roadmaps.map((roadmap) => (
                    <option value={roadmap.id} key={roadmap.id}>
                      {roadmap.title}
                    </option>
                  ))}
                </select>
              </div>
              <div class="check-field">
                <input type="checkbox" id="reset-confirm" name="confirm" value="yes" required />
                <label for="reset-confirm">
                  Set every topic of this roadmap back to “Not started”. Notes are kept.
                </label>
              </div>
              {form('reset').fields.confirm ? (
                <p class="field-error">{form('reset').fields.confirm}</p>
              ) : null}
              <button type="submit" class="button button-quiet">
                Reset progress
              </button>
            </form>
          </>
        ) : null}
      </section>

      {sections.map((section) => section.node)}
      {user ? (
        <section class="card settings-section danger-zone" id="delete" aria-labelledby="delete-title">
          <h2 id="delete-title">Delete account</h2>
          <p>
            This deletes your account and everything in it, for good. Export your data first if you may want
            it back.
          </p>
          <form
            method="post"
            action="/settings/delete"
            data-api="DELETE /api/v1/me"
            data-then="go:/"
            novalidate
          >
            <FormError message={form('delete').form} />
            {account ? (
              <Field
                id="delete-password"
                name="password"
                label="Your password"
                type="password"
                autocomplete="current-password"
                required
                error={form('delete').fields.password}
              />
            ) : null}
            <div class="check-field">
              <input
                type="checkbox"
                id="delete-confirm"
                name="confirm"
                value="yes"
                required
                aria-invalid={form('delete').fields.confirm ? 'true' : undefined}
                aria-describedby={form('delete').fields.confirm ? 'delete-confirm-error' : undefined}
              />
              <label for="delete-confirm">I understand that this cannot be undone.</label>
            </div>
            {form('delete').fields.confirm ? (
              <p class="field-error" id="delete-confirm-error">
                {form('delete').fields.confirm}
              </p>
            ) : null}
            <button type="submit" class="button button-danger">
              Delete my account
            </button>
          </form>
        </section>
      ) : null}
    </Layout>
  );
}
