import { createRequire } from 'node:module';
import type { AjvCompiler } from '@fastify/ajv-compiler';
import type { SerializerSelector } from '@fastify/fast-json-stringify-compiler';

// Ajv and fast-json-stringify are loaded with the first schema that is compiled, not at start-up.
const require = createRequire(import.meta.url);

type BuildValidator = ReturnType<typeof AjvCompiler>;
type BuildSerializer = ReturnType<typeof SerializerSelector>;
/** Ajv's validate function as Fastify uses it: called with the data, then `errors` read. */
type Validate = ReturnType<ReturnType<BuildValidator>>;
type Serialize = ReturnType<ReturnType<BuildSerializer>>;

/**
 * Fastify's own compilers (Ajv for input, fast-json-stringify for responses), but each route's
 * schema is compiled the first time a request needs it instead of all ~400 at start-up, which was
 * a third of the time to the first `/healthz` and memory most routes never use. The Ajv instance
 * (and the meta-schema it checks schemas against) is made on first use too.
 *
 * `compileAll()` compiles whatever has not been compiled yet, so a test can still prove every
 * route's schema compiles (it used to be proved by starting the app).
 */
export function lazySchemaCompilers() {
  const waiting = new Set<() => void>();
  let validators: BuildValidator | undefined;
  let serializers: BuildSerializer | undefined;
  const loadValidators = () =>
    (validators ??= (require('@fastify/ajv-compiler') as { AjvCompiler: typeof AjvCompiler }).AjvCompiler());
  const loadSerializers = () =>
    (serializers ??= (
      require('@fastify/fast-json-stringify-compiler') as { SerializerSelector: typeof SerializerSelector }
    ).SerializerSelector());

  const buildValidator = (...args: Parameters<BuildValidator>) => {
    let compiler: ReturnType<BuildValidator> | undefined;
    return (route: Parameters<ReturnType<BuildValidator>>[0]): Validate => {
      let compiled: Validate | undefined;
      const compile = () => {
        waiting.delete(compile);
        compiled ??= (compiler ??= loadValidators()(...args))(route) as Validate;
        return compiled;
      };
      waiting.add(compile);
      // Fastify reads `errors` from the function it was given after a failed check.
      const validate = (data: unknown) => {
        const fn = compiled ?? compile();
        const result = fn(data);
        validate.errors = fn.errors;
        return result;
      };
      validate.errors = null as Validate['errors'];
      return validate as unknown as Validate;
    };
  };

  const buildSerializer = (...args: Parameters<BuildSerializer>) => {
    let compiler: ReturnType<BuildSerializer> | undefined;
    return (route: Parameters<ReturnType<BuildSerializer>>[0]): Serialize => {
      let compiled: Serialize | undefined;
      const compile = () => {
        waiting.delete(compile);
        compiled ??= (compiler ??= loadSerializers()(...args))(route);
        return compiled;
      };
      waiting.add(compile);
      return (data) => (compiled ?? compile())(data);
    };
  };

  return {
    compilersFactory: { buildValidator, buildSerializer },
    /** Compiles every schema not compiled yet and says how many there were. */
    compileAll(): number {
      const all = [...waiting];
      for (const compile of all) compile();
      return all.length;
    },
  };
}
