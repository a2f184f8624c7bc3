import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { clientMeta } from '../auth/auth.plugin.js';
import * as access from '../auth/access.service.js';
import * as auth from '../auth/auth.service.js';
import * as email from '../auth/email.service.js';
import { importUserData } from '../account/account.service.js';
import { problems } from '../http/problems.js';
import { RoadmapIdParam, TopicIdParam, Uuid } from '../http/schemas.js';
import * as progress from '../progress/progress.service.js';
import { formStateFromProblem } from './components/forms.js';
import { pageContext, safeReturnPath, sendPage } from './layout.js';
import { CREDENTIAL_FIELDS, LoginPage, SignupPage } from './pages/auth.pages.js';
import { findTopic, renderSettings, renderTopic } from './pages.routes.js';
import { THEME_COOKIE } from './page-context.js';
import { STATUS_WORD } from './status.js';

import { attempt, back } from './form-flow.js';
import { requireRoadmap } from '../content/content.lookup.js';
import { isStatus } from '../progress/status.js';
import { IMPORT_NEEDS_FILE, importSummary } from './import-summary.js';

// The no-JavaScript half of every page: HTML forms post here (urlencoded), the handler calls the same
// service as the JSON API, then redirects back (303) with a flash message — or, when the input is
// wrong, renders the form again with the message next to the field. The Origin check of the auth
// plugin covers these routes like every other POST.

const hidden = { hide: true };
/** Form bodies: every value a string; unknown fields are tolerated (browsers send the submit button). */
const FormBody = (fields: Record<string, true>) =>
  Type.Object(
    Object.fromEntries(
      Object.keys(fields).map((name) => [name, Type.Optional(Type.String({ maxLength: 200_000 }))]),
    ),
  );

export default async function formRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const deps = app.authDeps;
  const now = () => app.clock.now().toISOString();
  const credentialLimit = { rateLimit: { max: app.config.authRateLimit, timeWindow: 60_000 } };
  const TopicParams = Type.Object({ roadmapId: RoadmapIdParam, topicId: TopicIdParam });

  // --- progress ----------------------------------------------------------------------------------

  app.post(
    '/roadmaps/:roadmapId/topics/:topicId/status',
    {
      schema: { ...hidden, params: TopicParams, body: FormBody({ status: true, return: true }) },
    },
    async (request, reply) => {
      const { topic } = findTopic(app, request.params.roadmapId, request.params.topicId);
      const status = request.body.status;
      if (!isStatus(status))
        throw problems.validation('Choose a status: pending, learning, done or skipped.', [
          { pointer: '/body/status', message: 'is not a status' },
        ]);
      const to = safeReturnPath(
        request.body.return,
        `/roadmaps/${request.params.roadmapId}/topics/${topic.id}`,
      );
      const current = await app.requireUserOrGuest(request, reply);
      await app.db.write(
        (trx) => progress.setTopicProgress(trx, app.content(), current.user.id, topic.id, { status }, now()),
        { userId: current.user.id, scope: 'data' },
      );
      return back(reply, to, {
        kind: 'success',
        text: `“${topic.title}” is now marked ${STATUS_WORD[status].toLowerCase()}.`,
      });
    },
  );

  app.post(
    '/roadmaps/:roadmapId/topics/:topicId/note',
    {
      schema: { ...hidden, params: TopicParams, body: FormBody({ note: true }) },
    },
    async (request, reply) => {
      const { topic } = findTopic(app, request.params.roadmapId, request.params.topicId);
      const note = (request.body.note ?? '').replace(/\r\n/g, '\n');
      const current = await app.requireUserOrGuest(request, reply);
      return attempt(
        async () => {
          await app.db.write(
            (trx) =>
              progress.setTopicProgress(trx, app.content(), current.user.id, topic.id, { note }, now()),
            { userId: current.user.id, scope: 'data' },
          );
          return back(reply, `/roadmaps/${request.params.roadmapId}/topics/${topic.id}#note-title`, {
            kind: 'success',
            text: 'Note saved.',
          });
        },
        (problem) =>
          renderTopic(app, request, reply, request.params, {
            status: problem.status,
            noteDraft: note,
            noteError: problem.detail,
          }),
      );
    },
  );

  app.post(
    '/roadmaps/:roadmapId/topics/:topicId/checklist',
    {
      schema: { ...hidden, params: TopicParams, body: FormBody({ item: true, done: true }) },
    },
    async (request, reply) => {
      const { topic } = findTopic(app, request.params.roadmapId, request.params.topicId);
      const current = await app.requireUserOrGuest(request, reply);
      const itemId = request.body.item ?? '';
      const done = request.body.done === '1';
      await app.db.write(
        (trx) =>
          progress.setChecklistItem(trx, app.content(), current.user.id, topic.id, itemId, done, now()),
        { userId: current.user.id, scope: 'data' },
      );
      const text = topic.checklist.find((item) => item.id === itemId)?.text ?? itemId;
      return back(reply, `/roadmaps/${request.params.roadmapId}/topics/${topic.id}#checklist-title`, {
        kind: 'success',
        text: done ? `Ticked “${text}”.` : `Unticked “${text}”.`,
      });
    },
  );

  // --- accounts ----------------------------------------------------------------------------------

  /**
   * Sign-up and log-in share one form and one failure path (the page again, the message by its field,
   * the email kept); only the service call and the welcome differ.
   */
  function credentialForm(
    path: '/signup' | '/login',
    Page: typeof SignupPage | typeof LoginPage,
    submit: (
      request: FastifyRequest,
      credentials: { email: string; password: string },
    ) => Promise<{ token: string | null; welcome: string; event?: 'signed-up'; to?: string }>,
  ): void {
    app.post(
      path,
      {
        config: credentialLimit,
        schema: { ...hidden, body: FormBody({ email: true, password: true, return: true }) },
      },
      async (request, reply) => {
        const { email = '', password = '' } = request.body;
        const returnTo = safeReturnPath(request.body.return);
        return attempt(
          async () => {
            const { token, welcome, event, to } = await submit(request, { email, password });
            if (token === null) return back(reply, to ?? returnTo, { kind: 'info', text: welcome });
            app.setSessionCookie(reply, token);
            return back(reply, returnTo, { kind: 'success', text: welcome, ...(event ? { event } : {}) });
          },
          (problem) =>
            sendPage(
              reply,
              request,
              <Page
                context={pageContext(request)}
                form={formStateFromProblem(problem, CREDENTIAL_FIELDS, { email })}
                returnTo={returnTo}
              />,
              { status: problem.status },
            ),
        );
      },
    );
  }

  credentialForm('/signup', SignupPage, async (request, credentials) => {
    if (app.config.mail) {
      // The same page whether or not the address has an account (see auth/email.service.ts).
      const pending = await email.requestSignup(deps, request.auth, credentials);
      return {
        token: null,
        to: '/check-inbox',
        welcome: `We sent a message to ${pending.email}. Open the link in it to finish creating your account. Until then you can go on as a guest.`,
      };
    }
    const created = await auth.signup(deps, request.auth, credentials, clientMeta(request));
    return {
      token: created.token,
      welcome: `Welcome! Your account ${created.user.email} is ready.`,
      event: 'signed-up',
    };
  });

  credentialForm('/login', LoginPage, async (request, credentials) => {
    const result = await auth.login(deps, request.auth, credentials, clientMeta(request));
    return {
      token: result.token,
      welcome: result.merged ? 'Logged in. What you did as a guest was added to your account.' : 'Logged in.',
    };
  });

  app.post('/logout', { schema: hidden }, async (request, reply) => {
    if (request.auth) {
      await auth.logout(deps, request.auth);
      app.clearSessionCookie(reply);
    }
    return back(reply, '/', { kind: 'info', text: 'You are logged out.' });
  });

  app.post(
    '/preferences/theme',
    { schema: { ...hidden, body: FormBody({ theme: true, return: true }) } },
    async (request, reply) => {
      const to = safeReturnPath(request.body.return);
      const theme = request.body.theme;
      // Readable by the page's script, which sets the same cookie when JavaScript is on. No cookie (the
      // default) follows the system's light or dark setting.
      const options = {
        path: '/',
        sameSite: 'lax' as const,
        secure: app.config.secureCookies,
        httpOnly: false,
      };
      if (theme === 'light' || theme === 'dark')
        reply.setCookie(THEME_COOKIE, theme, { ...options, maxAge: 365 * 86_400 });
      else reply.clearCookie(THEME_COOKIE, options);
      return back(reply, to);
    },
  );

  // --- settings ----------------------------------------------------------------------------------

  app.post(
    '/settings/password',
    {
      config: credentialLimit,
      schema: {
        ...hidden,
        body: FormBody({ currentPassword: true, newPassword: true, keepApiTokens: true }),
      },
    },
    async (request, reply) => {
      const current = app.requireAuth(request);
      const { currentPassword = '', newPassword = '' } = request.body;
      return attempt(
        async () => {
          const keepApiTokens = request.body.keepApiTokens === 'true';
          await auth.changePassword(deps, current, { currentPassword, newPassword, keepApiTokens });
          return back(reply, '/settings#password', {
            kind: 'success',
            text: 'Password changed. Your other sessions were signed out.',
          });
        },
        (problem) =>
          renderSettings(app, request, reply, {
            status: problem.status,
            forms: { password: formStateFromProblem(problem, ['currentPassword', 'newPassword']) },
          }),
      );
    },
  );

  app.post(
    '/settings/sessions/:sessionId/revoke',
    { schema: { ...hidden, params: Type.Object({ sessionId: Uuid }) } },
    async (request, reply) => {
      const current = app.requireAuth(request);
      await access.revokeSession(deps, current, request.params.sessionId);
      if (current.session?.id === request.params.sessionId) {
        app.clearSessionCookie(reply);
        return back(reply, '/', { kind: 'info', text: 'This session was revoked: you are logged out.' });
      }
      return back(reply, '/settings#sessions', { kind: 'success', text: 'Session revoked.' });
    },
  );

  app.post(
    '/settings/tokens',
    { schema: { ...hidden, body: FormBody({ name: true, expiresInDays: true, scope: true }) } },
    async (request, reply) => {
      const current = app.requireAuth(request);
      const name = (request.body.name ?? '').trim();
      const days = (request.body.expiresInDays ?? '').trim();
      const scope = request.body.scope === 'read' ? 'read' : 'read-write';
      const values = { name, expiresInDays: days, scope };
      return attempt(
        async () => {
          if (name === '' || name.length > 80) {
            throw problems.validation('Give the token a name of 1 to 80 characters.', [
              { pointer: '/body/name', message: 'must be 1–80 characters' },
            ]);
          }
          const expiresInDays = days === '' ? undefined : Number(days);
          if (
            expiresInDays !== undefined &&
            (!Number.isInteger(expiresInDays) || expiresInDays < 1 || expiresInDays > 3650)
          ) {
            throw problems.validation('Enter a whole number of days from 1 to 3650, or leave it empty.', [
              { pointer: '/body/expiresInDays', message: 'must be a whole number from 1 to 3650' },
            ]);
          }
          const created = await access.createApiToken(deps, current, { name, expiresInDays, scope });
          return renderSettings(app, request, reply, {
            newToken: { name: created.token.name, secret: created.secret },
          });
        },
        (problem) =>
          renderSettings(app, request, reply, {
            status: problem.status,
            forms: { token: formStateFromProblem(problem, ['name', 'expiresInDays'], values) },
          }),
      );
    },
  );

  app.post(
    '/settings/tokens/:tokenId/revoke',
    { schema: { ...hidden, params: Type.Object({ tokenId: Uuid }) } },
    async (request, reply) => {
      await access.revokeApiToken(deps, app.requireAuth(request), request.params.tokenId);
      return back(reply, '/settings#tokens', { kind: 'success', text: 'Token revoked.' });
    },
  );

  app.post(
    '/settings/import',
    { bodyLimit: 20 * 1024 * 1024, schema: { ...hidden, body: FormBody({ document: true }) } },
    async (request, reply) => {
      const text = request.body.document ?? '';
      return attempt(
        async () => {
          if (text.trim() === '')
            throw problems.validation(IMPORT_NEEDS_FILE, [
              { pointer: '/body/document', message: 'is empty: choose a file or paste its content' },
            ]);
          let document: unknown;
          try {
            document = JSON.parse(text);
          } catch {
            throw problems.validation(
              'This is not a Waymark export: it is not valid JSON. Paste the whole content of the exported file.',
              [{ pointer: '/body/document', message: 'is not valid JSON' }],
            );
          }
          const current = await app.requireUserOrGuest(request, reply);
          const { imported } = await importUserData(deps, current.user, document);
          return back(reply, '/settings#data', { kind: 'success', text: importSummary(imported) });
        },
        (problem) =>
          renderSettings(app, request, reply, {
            status: problem.status,
            forms: {
              import: {
                ...formStateFromProblem(problem, ['document']),
                values: { document: text.slice(0, 100_000) },
              },
            },
          }),
      );
    },
  );

  app.post(
    '/settings/reset',
    { schema: { ...hidden, body: FormBody({ roadmapId: true, confirm: true }) } },
    async (request, reply) => {
      const current = app.requireAuth(request);
      return attempt(
        async () => {
          if (request.body.confirm !== 'yes') {
            throw problems.validation('Tick the box to confirm the reset.', [
              { pointer: '/body/confirm', message: 'must be ticked' },
            ]);
          }
          const roadmap = requireRoadmap(app.content(), request.body.roadmapId ?? '');
          const changed = await app.db.write(
            (trx) => progress.resetRoadmap(trx, roadmap, current.user.id, now()),
            { userId: current.user.id, scope: 'data' },
          );
          return back(reply, '/settings#data', {
            kind: 'success',
            text: `${roadmap.title}: ${changed} topics set back to “Not started”. Your notes are kept.`,
          });
        },
        (problem) =>
          renderSettings(app, request, reply, {
            status: problem.status,
            forms: { reset: formStateFromProblem(problem, ['roadmapId', 'confirm']) },
          }),
      );
    },
  );

  app.post(
    '/settings/delete',
    { config: credentialLimit, schema: { ...hidden, body: FormBody({ password: true, confirm: true }) } },
    async (request, reply) => {
      const current = app.requireAuth(request);
      return attempt(
        async () => {
          if (request.body.confirm !== 'yes') {
            throw problems.validation('Tick the box to confirm that you want to delete your account.', [
              { pointer: '/body/confirm', message: 'must be ticked' },
            ]);
          }
          await auth.deleteAccount(deps, current, request.body.password);
          app.clearSessionCookie(reply);
          return back(reply, '/', { kind: 'info', text: 'Your account and all of its data were deleted.' });
        },
        (problem) =>
          renderSettings(app, request, reply, {
            status: problem.status,
            forms: { delete: formStateFromProblem(problem, ['password', 'confirm']) },
          }),
      );
    },
  );
}
