import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { clientMeta } from '../auth/auth.plugin.js';
import { Problem } from '../http/problems.js';
import * as email from '../auth/email.service.js';
import { emptyForm, formStateFromProblem } from './components/forms.js';
import { pageContext, sendPage } from './layout.js';
import { attempt, back } from './form-flow.js';
import {
  CheckInboxPage,
  ConfirmLinkPage,
  ForgotPasswordPage,
  ResetPasswordPage,
} from './pages/email.pages.js';

// The pages of emailed links and their no-JavaScript forms (the JSON API is in auth/auth.routes.ts).
// Opening a link's page reads the link and changes nothing; the button on it posts.

const hidden = { hide: true };
const TokenParams = Type.Object({ token: Type.String({ pattern: '^[A-Za-z0-9_-]{20,100}$' }) });
const FormBody = (fields: readonly string[]) =>
  Type.Object(
    Object.fromEntries(fields.map((name) => [name, Type.Optional(Type.String({ maxLength: 2000 }))])),
  );
/** A page holding a link's secret is kept by no cache. */
const PRIVATE = { 'cache-control': 'no-store' };

export default async function emailRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const deps = app.authDeps;
  const credentialLimit = { rateLimit: { max: app.config.authRateLimit, timeWindow: 60_000 } };

  app.get('/check-inbox', { schema: hidden }, async (request, reply) =>
    sendPage(reply, request, <CheckInboxPage context={pageContext(request)} />),
  );

  app.get('/password/forgot', { schema: hidden }, async (request, reply) =>
    sendPage(reply, request, <ForgotPasswordPage context={pageContext(request)} form={emptyForm()} />),
  );

  app.post(
    '/password/forgot',
    { config: credentialLimit, schema: { ...hidden, body: FormBody(['email']) } },
    async (request, reply) => {
      const address = request.body.email ?? '';
      return attempt(
        async () => {
          const sent = await email.requestPasswordReset(deps, address);
          return back(reply, '/check-inbox', {
            kind: 'info',
            text: `If an account uses ${sent.email}, a link to choose a new password is on its way. It works once, for an hour.`,
          });
        },
        (problem) =>
          sendPage(
            reply,
            request,
            <ForgotPasswordPage
              context={pageContext(request)}
              form={formStateFromProblem(problem, ['email'], { email: address })}
            />,
            { status: problem.status },
          ),
      );
    },
  );

  app.get(
    '/password/reset/:token',
    { schema: { ...hidden, params: TokenParams } },
    async (request, reply) => {
      const link = app.config.mail ? await email.describeLink(deps, request.params.token) : null;
      return sendPage(
        reply,
        request,
        <ResetPasswordPage
          context={pageContext(request)}
          token={request.params.token}
          valid={link?.purpose === 'reset'}
          form={emptyForm()}
        />,
        { status: link?.purpose === 'reset' ? 200 : 410, headers: PRIVATE },
      );
    },
  );

  app.post(
    '/password/reset/:token',
    {
      config: credentialLimit,
      schema: { ...hidden, params: TokenParams, body: FormBody(['newPassword', 'keepApiTokens']) },
    },
    async (request, reply) => {
      const { token } = request.params;
      return attempt(
        async () => {
          const result = await email.resetWithLink(
            deps,
            request.auth,
            {
              token,
              newPassword: request.body.newPassword ?? '',
              keepApiTokens: request.body.keepApiTokens === 'true',
            },
            clientMeta(request),
          );
          app.setSessionCookie(reply, result.token);
          return back(reply, '/', {
            kind: 'success',
            text: 'Your password is changed and you are signed in. Every other device was signed out.',
          });
        },
        (problem) =>
          sendPage(
            reply,
            request,
            <ResetPasswordPage
              context={pageContext(request)}
              token={token}
              valid={problem.code !== 'link_invalid'}
              form={formStateFromProblem(problem, ['newPassword'])}
            />,
            { status: problem.status, headers: PRIVATE },
          ),
      );
    },
  );

  app.get('/email/confirm/:token', { schema: { ...hidden, params: TokenParams } }, async (request, reply) => {
    const link = app.config.mail ? await email.describeLink(deps, request.params.token) : null;
    const usable = link !== null && link.purpose !== 'reset';
    return sendPage(
      reply,
      request,
      <ConfirmLinkPage context={pageContext(request)} token={request.params.token} link={link} />,
      { status: usable ? 200 : 410, headers: PRIVATE },
    );
  });

  app.post(
    '/email/confirm/:token',
    { config: credentialLimit, schema: { ...hidden, params: TokenParams } },
    async (request, reply) => {
      const { token } = request.params;
      return attempt(
        async () => {
          const result = await email.confirmLink(deps, request.auth, token, clientMeta(request));
          if (result.outcome === 'email-verified') {
            return back(reply, request.auth ? '/settings#account' : '/', {
              kind: 'success',
              text: `Thank you: ${result.email} is verified.`,
            });
          }
          app.setSessionCookie(reply, result.token);
          return back(reply, '/', {
            kind: 'success',
            text: `Welcome! Your account ${result.user.email ?? ''} is ready.`,
            event: 'signed-up',
          });
        },
        (problem) =>
          problem.code === 'link_invalid'
            ? sendPage(
                reply,
                request,
                <ConfirmLinkPage context={pageContext(request)} token={token} link={null} />,
                { status: 410, headers: PRIVATE },
              )
            : back(reply, '/login', { kind: 'error', text: problem.detail }),
      );
    },
  );

  app.post('/settings/email/verify', { config: credentialLimit, schema: hidden }, async (request, reply) => {
    const current = app.requireAuth(request);
    try {
      const sent = await email.sendVerification(deps, current);
      return back(reply, '/settings#account', {
        kind: 'success',
        text: `A link to verify ${sent.email} is on its way. It works once, for a day.`,
      });
    } catch (error) {
      // Too many links or already verified: said on the settings page, where the button is.
      if (error instanceof Problem && error.status < 500)
        return back(reply, '/settings#account', { kind: 'error', text: error.detail });
      throw error;
    }
  });
}
