import type { FastifyInstance } from 'fastify';
import { TOKEN_SCOPES } from './token-scopes.js';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { errorResponses, Uuid } from '../http/schemas.js';
import { clientMeta } from './auth.plugin.js';
import * as access from './access.service.js';
import { presentUser } from './auth.presenters.js';
import * as auth from './auth.service.js';
import * as email from './email.service.js';

const UserSchema = Type.Object(
  {
    id: Type.String(),
    email: Type.Union([Type.String(), Type.Null()]),
    isGuest: Type.Boolean(),
    role: Type.Union([Type.Literal('learner'), Type.Literal('admin')]),
    timeZone: Type.String(),
    createdAt: Type.String(),
    emailVerified: Type.Boolean({
      description: 'The account opened an emailed link sent to this address (always false without email)',
    }),
  },
  { $id: 'User', title: 'User' },
);

const Credentials = Type.Object(
  {
    email: Type.String({ maxLength: 320, description: 'Email address' }),
    password: Type.String({ maxLength: 1024 }),
  },
  { additionalProperties: false },
);

const SessionSchema = Type.Object({
  id: Type.String(),
  createdAt: Type.String(),
  lastSeenAt: Type.String(),
  expiresAt: Type.String(),
  userAgent: Type.String(),
  ip: Type.String(),
  current: Type.Boolean(),
});

const TokenScopeSchema = Type.Union(
  TOKEN_SCOPES.map((scope) => Type.Literal(scope)),
  {
    description:
      'read: GET only; read-write: also change learning data (default). No token can manage sign-ins, sessions, tokens, the password or the account.',
  },
);

const ApiTokenSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String({ description: 'The first characters of the token, to tell tokens apart' }),
  createdAt: Type.String(),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
  expiresAt: Type.Union([Type.String(), Type.Null()]),
  scope: TokenScopeSchema,
});

/** Accounts, sessions and API tokens: `/api/v1/auth/*` and `/api/v1/me/*`. */
export default async function authRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.addSchema(UserSchema);
  const deps = app.authDeps;
  const credentialLimit = { rateLimit: { max: deps.config.authRateLimit, timeWindow: 60_000 } };

  app.post(
    '/api/v1/auth/signup',
    {
      config: credentialLimit,
      schema: {
        operationId: 'signUp',
        tags: ['auth'],
        summary: 'Create an account (a guest session becomes the account, keeping its progress)',
        description:
          "Without email configured the account is made at once (201, signed in; 409 `email_unavailable` when the address is taken). With email configured the answer is always 202 whether or not the address has an account: a new address gets a link that creates the account (keeping this guest session's progress), an address with an account gets a notice.",
        body: Credentials,
        response: {
          201: Type.Object({ user: Type.Ref('User') }),
          202: Type.Object({
            status: Type.Literal('check-inbox'),
            email: Type.String(),
            detail: Type.String(),
          }),
          ...errorResponses(400, 403, 409, 429),
        },
      },
    },
    async (request, reply) => {
      if (deps.config.mail) {
        const pending = await email.requestSignup(deps, request.auth, request.body);
        return reply.code(202).send({
          status: 'check-inbox' as const,
          email: pending.email,
          detail: `Check your inbox: we sent a message to ${pending.email}. Open the link in it to finish. Until then you can go on as a guest.`,
        });
      }
      const { user, token } = await auth.signup(deps, request.auth, request.body, clientMeta(request));
      app.setSessionCookie(reply, token);
      return reply.code(201).send({ user: presentUser(user) });
    },
  );

  app.post(
    '/api/v1/auth/login',
    {
      config: credentialLimit,
      schema: {
        operationId: 'logIn',
        tags: ['auth'],
        summary: 'Sign in; a guest session is merged into the account (newest change per topic wins)',
        body: Credentials,
        response: {
          200: Type.Object({ user: Type.Ref('User'), merged: Type.Boolean() }),
          ...errorResponses(400, 401, 403, 429),
        },
      },
    },
    async (request, reply) => {
      const { user, token, merged } = await auth.login(deps, request.auth, request.body, clientMeta(request));
      app.setSessionCookie(reply, token);
      return { user: presentUser(user), merged };
    },
  );

  const LinkToken = Type.String({
    pattern: '^[A-Za-z0-9_-]{20,100}$',
    description: 'The secret from the emailed link',
  });

  app.post(
    '/api/v1/auth/email/confirm',
    {
      config: credentialLimit,
      schema: {
        operationId: 'confirmEmailLink',
        tags: ['auth'],
        summary: 'Open an emailed sign-up or verification link (once)',
        description:
          'A sign-up link creates the account and signs this client in (a guest session here is merged into it); a verification link marks the address verified.',
        body: Type.Object({ token: LinkToken }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            outcome: Type.Union([Type.Literal('account-created'), Type.Literal('email-verified')]),
            email: Type.String(),
            merged: Type.Boolean({
              description: 'A guest session of this client was merged into the account',
            }),
          }),
          ...errorResponses(400, 403, 404, 409, 429),
        },
      },
    },
    async (request, reply) => {
      const result = await email.confirmLink(deps, request.auth, request.body.token, clientMeta(request));
      if (result.outcome === 'email-verified')
        return { outcome: result.outcome, email: result.email, merged: false };
      app.setSessionCookie(reply, result.token);
      return { outcome: result.outcome, email: result.user.email ?? '', merged: result.merged };
    },
  );

  app.post(
    '/api/v1/auth/password/forgot',
    {
      config: credentialLimit,
      schema: {
        operationId: 'forgotPassword',
        tags: ['auth'],
        summary: 'Email a password-reset link (valid for an hour) if an account has this address',
        description: 'The answer is the same whether or not an account has the address.',
        body: Type.Object(
          { email: Type.String({ maxLength: 320, description: 'Email address' }) },
          { additionalProperties: false },
        ),
        response: {
          202: Type.Object({
            status: Type.Literal('check-inbox'),
            email: Type.String(),
            detail: Type.String(),
          }),
          ...errorResponses(400, 403, 404, 429),
        },
      },
    },
    async (request, reply) => {
      const sent = await email.requestPasswordReset(deps, request.body.email);
      return reply.code(202).send({
        status: 'check-inbox' as const,
        email: sent.email,
        detail: `If an account uses ${sent.email}, a link to choose a new password is on its way. It works once, for an hour.`,
      });
    },
  );

  app.post(
    '/api/v1/auth/password/reset',
    {
      config: credentialLimit,
      schema: {
        operationId: 'resetPassword',
        tags: ['auth'],
        summary: 'Set a new password with an emailed reset link (once); signs this client in',
        description:
          'Signs out every session and, unless keepApiTokens, revokes API tokens and calendar feeds, as a password change does.',
        body: Type.Object(
          {
            token: LinkToken,
            newPassword: Type.String({ maxLength: 1024 }),
            keepApiTokens: Type.Optional(
              Type.Boolean({ description: 'true keeps your API tokens and calendar feed URLs working' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ user: Type.Ref('User') }), ...errorResponses(400, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      const { user, token } = await email.resetWithLink(
        deps,
        request.auth,
        request.body,
        clientMeta(request),
      );
      app.setSessionCookie(reply, token);
      return { user: presentUser(user) };
    },
  );

  app.post(
    '/api/v1/me/email/verification',
    {
      config: credentialLimit,
      schema: {
        operationId: 'sendEmailVerification',
        tags: ['me'],
        summary: 'Email yourself a link that verifies your address (at most 3 an hour)',
        response: {
          202: Type.Object({
            status: Type.Literal('check-inbox'),
            email: Type.String(),
            detail: Type.String(),
          }),
          ...errorResponses(401, 403, 404, 409, 429),
        },
      },
    },
    async (request, reply) => {
      const sent = await email.sendVerification(deps, app.requireAuth(request));
      return reply.code(202).send({
        status: 'check-inbox' as const,
        email: sent.email,
        detail: `A link to verify ${sent.email} is on its way. It works once, for a day.`,
      });
    },
  );

  app.post(
    '/api/v1/auth/logout',
    {
      schema: {
        operationId: 'logOut',
        tags: ['auth'],
        summary: 'End the current session',
        response: { 204: Type.Null(), ...errorResponses(401, 403) },
      },
    },
    async (request, reply) => {
      const current = app.requireAuth(request);
      await auth.logout(deps, current);
      app.clearSessionCookie(reply);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/me',
    {
      schema: {
        operationId: 'getMe',
        tags: ['me'],
        summary: 'The signed-in user (or guest)',
        response: { 200: Type.Ref('User'), ...errorResponses(401) },
      },
    },
    async (request) => presentUser(app.requireAuth(request).user),
  );

  app.post(
    '/api/v1/me/password',
    {
      config: credentialLimit,
      schema: {
        operationId: 'changePassword',
        tags: ['me'],
        summary:
          'Change password (signs out every other session; revokes API tokens and calendar feeds unless keepApiTokens)',
        body: Type.Object(
          {
            currentPassword: Type.String({ maxLength: 1024 }),
            newPassword: Type.String({ maxLength: 1024 }),
            keepApiTokens: Type.Optional(
              Type.Boolean({
                description:
                  'true keeps your API tokens and calendar feed URLs working; by default a password change revokes them',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      await auth.changePassword(deps, app.requireAuth(request), request.body);
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/api/v1/me',
    {
      config: credentialLimit,
      schema: {
        operationId: 'deleteAccount',
        tags: ['me'],
        summary: 'Delete the account and all of its data',
        body: Type.Optional(
          Type.Object(
            { password: Type.Optional(Type.String({ maxLength: 1024 })) },
            { additionalProperties: false },
          ),
        ),
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      await auth.deleteAccount(deps, app.requireAuth(request), request.body?.password);
      app.clearSessionCookie(reply);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/me/sessions',
    {
      schema: {
        operationId: 'listSessions',
        tags: ['me'],
        summary: 'Your sessions',
        response: { 200: Type.Object({ sessions: Type.Array(SessionSchema) }), ...errorResponses(401) },
      },
    },
    async (request) => ({ sessions: await access.listSessions(deps, app.requireAuth(request)) }),
  );

  app.delete(
    '/api/v1/me/sessions/:sessionId',
    {
      schema: {
        operationId: 'revokeSession',
        tags: ['me'],
        summary: 'Revoke one of your sessions',
        params: Type.Object({ sessionId: Uuid }),
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const current = app.requireAuth(request);
      await access.revokeSession(deps, current, request.params.sessionId);
      if (current.session?.id === request.params.sessionId) app.clearSessionCookie(reply);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/me/tokens',
    {
      schema: {
        operationId: 'listApiTokens',
        tags: ['me'],
        summary: 'Your personal API tokens',
        response: { 200: Type.Object({ tokens: Type.Array(ApiTokenSchema) }), ...errorResponses(401) },
      },
    },
    async (request) => ({ tokens: await access.listApiTokens(deps, app.requireAuth(request)) }),
  );

  app.post(
    '/api/v1/me/tokens',
    {
      schema: {
        operationId: 'createApiToken',
        tags: ['me'],
        summary: 'Create a personal API token (the secret is shown only in this response)',
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 80, pattern: '\\S' }),
            expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
            scope: Type.Optional(TokenScopeSchema),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ token: ApiTokenSchema, secret: Type.String() }),
          ...errorResponses(400, 401, 403, 409),
        },
      },
    },
    async (request, reply) => {
      const created = await access.createApiToken(deps, app.requireAuth(request), request.body);
      return reply.code(201).header('cache-control', 'no-store').send(created);
    },
  );

  app.delete(
    '/api/v1/me/tokens/:tokenId',
    {
      schema: {
        operationId: 'revokeApiToken',
        tags: ['me'],
        summary: 'Revoke a personal API token',
        params: Type.Object({ tokenId: Uuid }),
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await access.revokeApiToken(deps, app.requireAuth(request), request.params.tokenId);
      return reply.code(204).send(null);
    },
  );
}
