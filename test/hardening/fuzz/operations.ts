// What the fuzzer sends requests to: every operation of the OpenAPI document the app serves, and
// the routes it hides from that document (HTML pages and their no-JavaScript form posts), with the
// schemas each declares for its path, query and body.
import type { FastifyPluginAsync, RouteOptions } from 'fastify';
import type { FeatureManifest } from '../../../src/features.js';
import type { Schema } from './values.js';

export interface Parameter {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  schema: Schema;
}

export interface Operation {
  method: string;
  /** With `{name}` placeholders, as in OpenAPI. */
  path: string;
  parameters: Parameter[];
  body: { kind: 'json' | 'form'; schema: Schema; required: boolean } | null;
  /** A server-sent-events stream: sent over a socket and cut once the head has arrived. */
  stream: boolean;
  /** From the OpenAPI document (errors must be problem+json); false for the hidden web routes. */
  documented: boolean;
  /** OpenAPI `security` lists a scheme (or a hidden route): worth calling signed in. */
  label: string;
}

type OpenApi = {
  paths: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, Schema> };
};

/** Every operation of the OpenAPI document. */
export function documentedOperations(doc: OpenApi): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, raw] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const op = raw as {
        parameters?: Array<{ name: string; in: string; required?: boolean; schema?: Schema }>;
        requestBody?: { required?: boolean; content: Record<string, { schema?: Schema }> };
        responses?: Record<string, { content?: Record<string, unknown> }>;
      };
      const json = op.requestBody?.content['application/json'];
      operations.push({
        method: method.toUpperCase(),
        path,
        parameters: (op.parameters ?? [])
          .filter((p) => p.in === 'path' || p.in === 'query')
          .map((p) => ({
            name: p.name,
            in: p.in as 'path' | 'query',
            required: p.required ?? p.in === 'path',
            schema: p.schema ?? { type: 'string' },
          })),
        body: json
          ? { kind: 'json', schema: json.schema ?? {}, required: op.requestBody?.required ?? false }
          : null,
        stream: Object.values(op.responses ?? {}).some((r) => r.content && 'text/event-stream' in r.content),
        documented: true,
        label: `${method.toUpperCase()} ${path}`,
      });
    }
  }
  return operations;
}

/**
 * A feature that only listens: placed first in the feature list, it sees every route the features
 * register (pages, forms and the API routes they own). Routes registered before the features (auth,
 * account, events, health) are all in the OpenAPI document.
 */
export function routeCollector(): { feature: FeatureManifest; routes: RouteOptions[] } {
  const routes: RouteOptions[] = [];
  const plugin: FastifyPluginAsync = async (app) => {
    app.addHook('onRoute', (route) => {
      routes.push(route);
    });
  };
  // Skip encapsulation, so the hook is on the root and sees the routes registered after it.
  Object.assign(plugin, { [Symbol.for('skip-override')]: true });
  return { feature: { name: 'fuzz-route-collector', routes: [plugin] }, routes };
}

function propertiesOf(schema: unknown): Array<[string, Schema, boolean]> {
  const s = (schema ?? {}) as Schema;
  const required = new Set((s.required as string[] | undefined) ?? []);
  return Object.entries((s.properties as Record<string, Schema> | undefined) ?? {}).map(
    ([name, property]) => [name, property, required.has(name)],
  );
}

/** The routes hidden from the OpenAPI document (pages and form posts), as operations. */
export function hiddenOperations(routes: readonly RouteOptions[]): Operation[] {
  const operations: Operation[] = [];
  for (const route of routes) {
    const schema = (route.schema ?? {}) as Record<string, unknown> & { hide?: boolean };
    if (!schema.hide) continue;
    const path = route.url.replace(/:(\w+)/g, '{$1}').replace(/\*$/, '{wildcard}');
    if (path === '/api/v1/openapi.json') continue;
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter((m) =>
      ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(m),
    );
    for (const method of methods) {
      const parameters: Parameter[] = [
        ...propertiesOf(schema.params).map(([name, s]) => ({
          name,
          in: 'path' as const,
          required: true,
          schema: s,
        })),
        ...propertiesOf(schema.querystring).map(([name, s, required]) => ({
          name,
          in: 'query' as const,
          required,
          schema: s,
        })),
      ];
      for (const [, name] of path.matchAll(/\{(\w+)\}/g))
        if (!parameters.some((p) => p.name === name))
          parameters.push({ name: name!, in: 'path', required: true, schema: { type: 'string' } });
      operations.push({
        method,
        path,
        parameters,
        body:
          method === 'GET'
            ? null
            : {
                kind: 'form',
                schema: (schema.body as Schema | undefined) ?? { type: 'object' },
                required: false,
              },
        stream: /\/events$|\/live$/.test(path),
        documented: false,
        label: `${method} ${path} (web)`,
      });
    }
  }
  return operations;
}
