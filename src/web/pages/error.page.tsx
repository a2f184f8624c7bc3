import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Problem } from '../../http/problems.js';
import { Layout, pageContext, sendPage } from '../layout.js';

const HEADLINES: Record<number, string> = {
  400: 'That request did not work',
  401: 'Please log in',
  403: 'Not allowed',
  404: 'Page not found',
  429: 'Slow down a little',
};

/** The friendly HTML error page browsers get instead of problem+json (API URLs keep problem+json). */
export function renderErrorPage(
  request: FastifyRequest,
  reply: FastifyReply,
  problem: Problem,
): FastifyReply {
  for (const [name, value] of Object.entries(problem.headers)) reply.header(name, value);
  const context = request.cookies
    ? pageContext(request)
    : { user: null, theme: 'system' as const, flash: null, path: '/', nav: request.server.features.nav };
  const headline =
    HEADLINES[problem.status] ?? (problem.status >= 500 ? 'Something went wrong on our side' : problem.title);
  return sendPage(
    reply,
    request,
    <Layout {...context} title={headline}>
      <section class="error-page" aria-labelledby="error-title">
        <p class="code" aria-hidden="true">
          {problem.status}
        </p>
        <h1 id="error-title">{headline}</h1>
        <p class="lead">{problem.detail}</p>
        <p>
          {problem.status === 401 ? (
            <>
              <a class="button" href={`/login?return=${encodeURIComponent(context.path)}`}>
                Log in
              </a>{' '}
            </>
          ) : null}
          <a class={problem.status === 401 ? 'button button-quiet' : 'button'} href="/">
            Go to the home page
          </a>{' '}
          <a class="button button-quiet" href="/roadmaps">
            Browse roadmaps
          </a>
        </p>
        {problem.status >= 500 ? <p class="muted">Request id: {request.id}</p> : null}
      </section>
    </Layout>,
    { status: problem.status },
  );
}
