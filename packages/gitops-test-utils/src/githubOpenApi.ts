import fs from 'node:fs';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

let cached: any;

/** GitHub's OpenAPI description for api.github.com, from `@octokit/openapi`. */
export function githubOpenApi(): any {
  if (!cached) {
    const file = require.resolve(
      '@octokit/openapi/generated/api.github.com.json',
    );
    cached = JSON.parse(fs.readFileSync(file, 'utf8'));
  }
  return cached;
}

let ajv: Ajv | undefined;

/**
 * Validates a response body against the schema GitHub's OpenAPI description
 * gives for that operation and status. Returns error strings (empty = valid).
 */
export function validateGithubResponse(options: {
  method: string;
  operation: string;
  status: number;
  body: unknown;
}): string[] {
  const doc = githubOpenApi();
  if (!ajv) {
    ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
    addFormats(ajv);
    ajv.addSchema(
      { components: { schemas: toJsonSchema(doc.components.schemas) } },
      'github',
    );
  }
  const op = doc.paths[options.operation]?.[options.method.toLowerCase()];
  if (!op) {
    return [`OpenAPI has no operation ${options.method} ${options.operation}`];
  }
  let response = op.responses[String(options.status)];
  if (!response && options.status >= 400) {
    // Errors GitHub may send from any endpoint (rate limits, 5xx) use basic-error.
    response = {
      content: {
        'application/json': {
          schema: { $ref: '#/components/schemas/basic-error' },
        },
      },
    };
  }
  if (!response) {
    return [
      `OpenAPI has no ${options.status} response for ${options.method} ${options.operation}`,
    ];
  }
  if (response.$ref) {
    const name = String(response.$ref).split('/').pop()!;
    response = doc.components.responses[name];
  }
  const schema = response.content?.['application/json']?.schema;
  if (!schema) {
    return options.body === undefined || options.body === ''
      ? []
      : [
          `OpenAPI documents no JSON body for ${options.method} ${options.operation} ${options.status}`,
        ];
  }
  const rewritten = JSON.parse(
    JSON.stringify(toJsonSchema(schema)).replace(
      /"#\/components\//g,
      '"github#/components/',
    ),
  );
  const validate = ajv.compile(rewritten);
  if (validate(options.body)) {
    return [];
  }
  return (validate.errors ?? []).map(
    e =>
      `${options.method} ${options.operation} ${options.status}: ${e.instancePath} ${e.message}`,
  );
}

/**
 * Turns OpenAPI 3.0 schema objects into JSON Schema: `nullable: true` becomes
 * a `null` alternative (Ajv only accepts `nullable` next to `type`).
 */
function toJsonSchema(node: any): any {
  if (Array.isArray(node)) {
    return node.map(toJsonSchema);
  }
  if (!node || typeof node !== 'object') {
    return node;
  }
  const out: any = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'example' || k === 'examples' || k === 'discriminator') continue;
    out[k] = toJsonSchema(v);
  }
  if (out.nullable === true) {
    delete out.nullable;
    if (out.type && !Array.isArray(out.type)) {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum) && !out.enum.includes(null)) {
        out.enum = [...out.enum, null];
      }
      return out;
    }
    return { anyOf: [out, { type: 'null' }] };
  }
  delete out.nullable;
  return out;
}
