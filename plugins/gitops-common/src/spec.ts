import { z } from 'zod';
import { InputError } from '@backstage/errors';
import {
  CACHE_ENGINES,
  CLOUD_PROVIDERS,
  CROSSPLANE_APIS,
  CloudProvider,
  DATABASE_ENGINES,
  PLATFORM_OFFERINGS,
  PROVIDERS,
  PROVIDER_REGIONS,
  SIZES,
  TARGETS,
  UNOFFERED_DATABASE_ENGINES,
  cacheVersions,
  databaseVersions,
  offeredDatabaseEngines,
} from './offerings';
import {
  TTL_FORMAT_HINT,
  TTL_PATTERN,
} from '@epicshelter/plugin-environments-common';

/** Minimum length of an environment name. @public */
export const ENVIRONMENT_NAME_MIN_LENGTH = 2;
/** Maximum length of an environment name (leaves room for `<env>-<resource>` object names). @public */
export const ENVIRONMENT_NAME_MAX_LENGTH = 40;
/** Maximum length of a resource or workload name (`<env>-<resource>` must stay a 63-char label). @public */
export const RESOURCE_NAME_MAX_LENGTH = 22;

/**
 * Environment names that would collide with namespaces the platform itself
 * uses (the environment name is also its Kubernetes namespace).
 * @public
 */
export const RESERVED_ENVIRONMENT_NAMES: readonly string[] = [
  'default',
  'argocd',
  'crossplane-system',
  'epicshelter-system',
  'local-path-storage',
  'platform',
];

/**
 * Explains why `value` is not a DNS-1123 label of the given length bounds,
 * or returns undefined when it is one. The explanation names the first
 * offending character, so look-alikes such as Cyrillic `а` are obvious.
 * @public
 */
export function explainDns1123Label(
  value: string,
  min: number,
  max: number,
): string | undefined {
  if (value.length === 0) {
    return 'must not be empty';
  }
  const chars = Array.from(value);
  const bad = chars.find(c => !/^[a-z0-9-]$/.test(c));
  if (bad !== undefined) {
    const code = bad.codePointAt(0)!;
    const shown = JSON.stringify(bad);
    const codePoint = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
    let why: string;
    if (/^[A-Z]$/.test(bad)) {
      why = `contains uppercase ${shown}; use lowercase letters`;
    } else if (code > 0x7e) {
      why = `contains the non-ASCII character ${shown} (${codePoint}), e.g. a look-alike; use only a-z, 0-9 and '-'`;
    } else if (code < 0x20 || code === 0x7f) {
      why = `contains the control character ${codePoint}; use only a-z, 0-9 and '-'`;
    } else {
      why = `contains ${shown}; use only a-z, 0-9 and '-'`;
    }
    return `must be a DNS-1123 label: ${why}`;
  }
  if (value.length < min) {
    return `must be at least ${min} characters long (got ${value.length})`;
  }
  if (value.length > max) {
    return `must be at most ${max} characters long (got ${value.length})`;
  }
  if (value.startsWith('-') || value.endsWith('-')) {
    return "must be a DNS-1123 label: must start and end with a letter or digit, not '-'";
  }
  return undefined;
}

function dnsLabel(min: number, max: number, what: string) {
  return z
    .string({ error: `${what} must be a string` })
    .superRefine((v, ctx) => {
      const why = explainDns1123Label(v, min, max);
      if (why) {
        ctx.addIssue({ code: 'custom', message: why });
      }
    });
}

const ENTITY_NAME = /^[a-zA-Z0-9](?:[-_.a-zA-Z0-9]{0,61}[a-zA-Z0-9])?$/;
const ENTITY_NAMESPACE = /^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/;

/** Explains why `value` is not an owner entity ref, or returns undefined. @public */
export function explainOwnerRef(value: string): string | undefined {
  if (value.length === 0) {
    return 'must not be empty; use an entity ref such as group:default/platform';
  }
  const m = /^(?:([^:/]+):)?(?:([^:/]+)\/)?([^:/]+)$/.exec(value);
  if (!m) {
    return `must be an entity ref of the form [kind:][namespace/]name, e.g. group:default/platform (got ${JSON.stringify(
      value,
    )})`;
  }
  const [, kind, namespace, name] = m;
  if (kind !== undefined && !['group', 'user'].includes(kind.toLowerCase())) {
    return `must refer to a group or user, not kind ${JSON.stringify(kind)}`;
  }
  if (namespace !== undefined && !ENTITY_NAMESPACE.test(namespace)) {
    return `has an invalid namespace ${JSON.stringify(
      namespace,
    )}: use lowercase a-z, 0-9 and '-' (max 63)`;
  }
  if (!ENTITY_NAME.test(name)) {
    return `has an invalid name ${JSON.stringify(
      name,
    )}: use a-z, A-Z, 0-9, '-', '_' and '.' starting and ending with a letter or digit (max 63)`;
  }
  return undefined;
}

/** Resource names that the generator uses itself. @public */
export const RESERVED_RESOURCE_NAMES: readonly string[] = [
  'kubernetes-cluster',
];

const resourceName = () =>
  dnsLabel(1, RESOURCE_NAME_MAX_LENGTH, 'resource name').refine(
    v => !RESERVED_RESOURCE_NAMES.includes(v),
    {
      error: `is reserved (${RESERVED_RESOURCE_NAMES.join(
        ', ',
      )}); choose another name`,
    },
  );

const sizeSchema = z.enum(SIZES, {
  error: `must be one of ${SIZES.join(', ')}`,
});

/** A database the environment needs. @public */
export const databaseSpecSchema = z
  .strictObject({
    name: resourceName(),
    engine: z.enum(DATABASE_ENGINES, {
      error: `must be one of ${DATABASE_ENGINES.join(', ')}`,
    }),
    version: z.string({ error: 'must be a string' }).optional(),
    size: sizeSchema.default(PLATFORM_OFFERINGS.database.defaultSize),
  })
  .superRefine((db, ctx) => {
    const versions = databaseVersions(db.engine);
    if (db.version !== undefined && !versions.includes(db.version)) {
      ctx.addIssue({
        code: 'custom',
        path: ['version'],
        message: `${db.engine} version ${JSON.stringify(
          db.version,
        )} is not offered by the platform API; choose one of ${versions.join(
          ', ',
        )}`,
      });
    }
  })
  .transform(db => ({
    name: db.name,
    engine: db.engine,
    version: db.version ?? databaseVersions(db.engine)[0],
    size: db.size,
  }));

/** An object storage bucket the environment needs. @public */
export const bucketSpecSchema = z.strictObject({
  name: resourceName(),
  versioning: z.boolean({ error: 'must be true or false' }).default(false),
});

/** A cache (Redis) the environment needs. @public */
export const cacheSpecSchema = z
  .strictObject({
    name: resourceName(),
    engine: z
      .enum(CACHE_ENGINES, {
        error: `must be one of ${CACHE_ENGINES.join(', ')}`,
      })
      .default('redis'),
    version: z.string({ error: 'must be a string' }).optional(),
    size: sizeSchema.default(PLATFORM_OFFERINGS.cache.defaultSize),
  })
  .superRefine((c, ctx) => {
    const versions = cacheVersions(c.engine);
    if (c.version !== undefined && !versions.includes(c.version)) {
      ctx.addIssue({
        code: 'custom',
        path: ['version'],
        message: `${c.engine} version ${JSON.stringify(
          c.version,
        )} is not offered by the platform API; choose one of ${versions.join(
          ', ',
        )}`,
      });
    }
  })
  .transform(c => ({
    name: c.name,
    engine: c.engine,
    version: c.version ?? cacheVersions(c.engine)[0],
    size: c.size,
  }));

const K8S = PLATFORM_OFFERINGS.kubernetesCluster;

/** The Kubernetes cluster Crossplane provisions for a cloud environment. @public */
export const kubernetesClusterSpecSchema = z.strictObject({
  version: z
    .enum(K8S.versions, {
      error: `must be one of the offered Kubernetes versions ${K8S.versions.join(
        ', ',
      )}`,
    })
    .default(K8S.versions[0]),
  nodeSize: sizeSchema.default(K8S.defaultNodeSize),
  nodeCount: z
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number' })
    .min(K8S.minNodeCount, {
      error: `must be at least ${K8S.minNodeCount}`,
    })
    .max(K8S.maxNodeCount, {
      error: `must be at most ${K8S.maxNodeCount}`,
    })
    .default(K8S.defaultNodeCount),
});

/** Per-workload settings the overlay patches into the app's base. @public */
export const workloadOverrideSchema = z.strictObject({
  replicas: z
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number' })
    .min(0, { error: 'must be at least 0' })
    .max(50, { error: 'must be at most 50' })
    .optional(),
  imageTag: z
    .string({ error: 'must be a string' })
    .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, {
      error:
        "must be a container image tag: letters, digits, '_', '.' and '-', at most 128 characters",
    })
    .optional(),
});

/** The resources an environment needs. @public */
export const environmentResourcesSchema = z.strictObject({
  databases: z.array(databaseSpecSchema).max(10).default([]),
  buckets: z.array(bucketSpecSchema).max(10).default([]),
  caches: z.array(cacheSpecSchema).max(10).default([]),
  kubernetesCluster: kubernetesClusterSpecSchema.optional(),
});

/**
 * When an ephemeral environment expires: the time to live last asked for and
 * the resulting expiry (ISO 8601, UTC). Set by the create and extend actions
 * from the platform's bounds, not typed by hand.
 * @public
 */
export const environmentExpirySchema = z.strictObject({
  ttl: z
    .string({ error: 'must be a string' })
    .regex(TTL_PATTERN, { error: `must be ${TTL_FORMAT_HINT}` }),
  expiresAt: z.iso.datetime({
    error: 'must be an ISO 8601 timestamp in UTC, e.g. 2026-12-07T10:00:00Z',
  }),
});

/**
 * Why a cloud environment without `resources.kubernetesCluster` is refused:
 * its infrastructure and workloads run in its own cluster, so without one
 * nothing would run them.
 * @public
 */
export const CLOUD_CLUSTER_REQUIRED =
  'a cloud environment runs in its own Kubernetes cluster: add resources.kubernetesCluster';

/**
 * The environment spec: the single source of truth for what an environment is.
 * Parse input with {@link parseEnvironmentSpec}.
 * @public
 */
export const environmentSpecSchema = z
  .strictObject({
    name: dnsLabel(
      ENVIRONMENT_NAME_MIN_LENGTH,
      ENVIRONMENT_NAME_MAX_LENGTH,
      'name',
    ).refine(
      v => !RESERVED_ENVIRONMENT_NAMES.includes(v) && !v.startsWith('kube-'),
      {
        error: `is reserved for the platform (${RESERVED_ENVIRONMENT_NAMES.join(
          ', ',
        )}, kube-*); choose another name`,
      },
    ),
    owner: z.string({ error: 'must be a string' }).superRefine((v, ctx) => {
      const why = explainOwnerRef(v);
      if (why) ctx.addIssue({ code: 'custom', message: why });
    }),
    description: z
      .string({ error: 'must be a string' })
      .max(500, { error: 'must be at most 500 characters' })
      .optional(),
    target: z.enum(TARGETS, {
      error: `must be one of ${TARGETS.join(', ')}`,
    }),
    provider: z.enum(PROVIDERS, {
      error: `must be one of ${PROVIDERS.join(', ')}`,
    }),
    region: z.string({ error: 'must be a string' }).optional(),
    crossplaneApi: z
      .enum(CROSSPLANE_APIS, {
        error: `must be one of ${CROSSPLANE_APIS.join(', ')}`,
      })
      .default('v2'),
    workloads: z
      .array(dnsLabel(1, RESOURCE_NAME_MAX_LENGTH, 'workload name'))
      .max(20, { error: 'must list at most 20 workloads' })
      .default([]),
    workloadOverrides: z.record(z.string(), workloadOverrideSchema).optional(),
    resources: environmentResourcesSchema.default({
      databases: [],
      buckets: [],
      caches: [],
    }),
    expiry: environmentExpirySchema.optional(),
  })
  .superRefine((spec, ctx) => {
    if (spec.target === 'local') {
      if (spec.provider !== 'local') {
        ctx.addIssue({
          code: 'custom',
          path: ['provider'],
          message: `must be "local" for the local target (got ${JSON.stringify(
            spec.provider,
          )}); use target "cloud" for ${spec.provider}`,
        });
      }
      if (spec.region !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['region'],
          message: 'must not be set for the local target',
        });
      }
      if (spec.resources.kubernetesCluster !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['resources', 'kubernetesCluster'],
          message:
            'is only available for the cloud target; local environments run on the local cluster',
        });
      }
    } else {
      if (spec.provider === 'local') {
        ctx.addIssue({
          code: 'custom',
          path: ['provider'],
          message: `"local" provider is only valid for the local target; choose one of ${CLOUD_PROVIDERS.join(
            ', ',
          )} for the cloud target`,
        });
      } else {
        if (spec.resources.kubernetesCluster === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['resources', 'kubernetesCluster'],
            message: CLOUD_CLUSTER_REQUIRED,
          });
        }
        const regions = PROVIDER_REGIONS[spec.provider as CloudProvider];
        if (spec.region === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['region'],
            message: `is required for the cloud target; choose one of the ${
              spec.provider
            } regions ${regions.join(', ')}`,
          });
        } else if (!regions.includes(spec.region)) {
          ctx.addIssue({
            code: 'custom',
            path: ['region'],
            message: `${JSON.stringify(spec.region)} is not a ${
              spec.provider
            } region; choose one of ${regions.join(', ')}`,
          });
        }
      }
    }
    const seenWorkloads = new Set<string>();
    spec.workloads.forEach((w, i) => {
      if (seenWorkloads.has(w)) {
        ctx.addIssue({
          code: 'custom',
          path: ['workloads', i],
          message: `lists ${JSON.stringify(w)} more than once`,
        });
      }
      seenWorkloads.add(w);
    });
    for (const key of Object.keys(spec.workloadOverrides ?? {})) {
      if (!seenWorkloads.has(key)) {
        ctx.addIssue({
          code: 'custom',
          path: ['workloadOverrides', key],
          message: `overrides ${JSON.stringify(
            key,
          )}, which is not one of the environment's workloads`,
        });
      }
    }
    const seenResources = new Map<string, string>();
    const lists = [
      ['databases', spec.resources.databases],
      ['buckets', spec.resources.buckets],
      ['caches', spec.resources.caches],
    ] as const;
    spec.resources.databases.forEach((db, i) => {
      const why = UNOFFERED_DATABASE_ENGINES[spec.provider]?.[db.engine];
      if (why) {
        ctx.addIssue({
          code: 'custom',
          path: ['resources', 'databases', i, 'engine'],
          message: `${JSON.stringify(db.engine)} is not offered on ${
            spec.provider
          }: ${why}; choose ${offeredDatabaseEngines(spec.provider).join(
            ', ',
          )}`,
        });
      }
    });
    for (const [list, items] of lists) {
      items.forEach((item, i) => {
        const prev = seenResources.get(item.name);
        if (prev !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['resources', list, i, 'name'],
            message: `${JSON.stringify(
              item.name,
            )} is already used by ${prev}; resource names must be unique within an environment`,
          });
        } else {
          seenResources.set(item.name, `resources.${list}[${i}]`);
        }
      });
    }
  });

/** A parsed, defaulted and checked environment spec. @public */
export type EnvironmentSpec = z.output<typeof environmentSpecSchema>;
/** The accepted input form of an environment spec (before defaults). @public */
export type EnvironmentSpecInput = z.input<typeof environmentSpecSchema>;
/** A database entry of a parsed spec. @public */
export type DatabaseSpec = EnvironmentSpec['resources']['databases'][number];
/** A bucket entry of a parsed spec. @public */
export type BucketSpec = EnvironmentSpec['resources']['buckets'][number];
/** A cache entry of a parsed spec. @public */
export type CacheSpec = EnvironmentSpec['resources']['caches'][number];
/** The cluster entry of a parsed spec. @public */
export type KubernetesClusterSpec = NonNullable<
  EnvironmentSpec['resources']['kubernetesCluster']
>;

/** One problem found in an environment spec. @public */
export interface EnvironmentSpecIssue {
  /** Dotted path such as `spec.resources.databases[0].engine`. */
  path: string;
  message: string;
}

/** Formats a zod path as `spec.a.b[0].c`. @public */
export function formatSpecPath(path: ReadonlyArray<PropertyKey>): string {
  let out = 'spec';
  for (const p of path) {
    if (typeof p === 'number') {
      out += `[${p}]`;
    } else {
      const s = String(p);
      out += /^[A-Za-z_][A-Za-z0-9_]*$/.test(s)
        ? `.${s}`
        : `[${JSON.stringify(s)}]`;
    }
  }
  return out;
}

function toIssues(error: z.ZodError): EnvironmentSpecIssue[] {
  return error.issues.map(issue => {
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') {
      return {
        path: formatSpecPath(issue.path),
        message: `has unknown field${
          issue.keys.length > 1 ? 's' : ''
        } ${issue.keys.map(k => JSON.stringify(k)).join(', ')}`,
      };
    }
    if (issue.code === 'invalid_type' && message.startsWith('Invalid input')) {
      message = `must be ${issue.expected}`;
    }
    return { path: formatSpecPath(issue.path), message };
  });
}

/** Spec issues as one line: `<path>: <message>`, separated by `; `. @public */
export function formatSpecIssues(issues: EnvironmentSpecIssue[]): string {
  return issues.map(i => `${i.path}: ${i.message}`).join('; ');
}

/**
 * Thrown for an invalid environment spec. The message lists every issue as
 * `<path>: <message>`; the issues are also available structured.
 * @public
 */
export class EnvironmentSpecError extends InputError {
  readonly issues: EnvironmentSpecIssue[];

  constructor(issues: EnvironmentSpecIssue[]) {
    super(`Invalid environment spec: ${formatSpecIssues(issues)}`);
    this.issues = issues;
  }
}

/** Result of {@link safeParseEnvironmentSpec}. @public */
export type SafeParseEnvironmentSpecResult =
  | { success: true; spec: EnvironmentSpec; issues: [] }
  | { success: false; spec?: undefined; issues: EnvironmentSpecIssue[] };

/** Parses an environment spec without throwing. @public */
export function safeParseEnvironmentSpec(
  input: unknown,
): SafeParseEnvironmentSpecResult {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return {
      success: false,
      issues: [{ path: 'spec', message: 'must be an object' }],
    };
  }
  const result = environmentSpecSchema.safeParse(input);
  if (result.success) {
    return { success: true, spec: result.data, issues: [] };
  }
  return { success: false, issues: toIssues(result.error) };
}

/**
 * Parses, defaults and checks an environment spec.
 * @throws EnvironmentSpecError naming every offending field
 * @public
 */
export function parseEnvironmentSpec(input: unknown): EnvironmentSpec {
  const result = safeParseEnvironmentSpec(input);
  if (!result.success) {
    throw new EnvironmentSpecError(result.issues);
  }
  return result.spec;
}
