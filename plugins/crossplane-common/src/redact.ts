/** Placeholder that replaces a redacted value. @public */
export const REDACTED = '<redacted>';

/** Nouns of fields that hold a credential. */
const CREDENTIAL_NOUN =
  /(pass(word|wd|phrase)?|secret|token|credential|private[-_]?key|access[-_]?key|api[-_]?key|client[-_]?key|auth[-_]?key|kubeconfig|connection[-_]?string|sas$|signature)/i;
/**
 * Suffixes of fields that name, point to or describe a credential without
 * holding it: references (`passwordSecretRef`), identifiers (`kmsKeyId`,
 * `secretArn`, `caCertificateIdentifier`), names (`keyName`) and settings
 * (`passwordLength`, `tokenType`).
 */
const DESCRIBES_KEY =
  /(Ref|Refs|Selector|Name|Names|Arn|ARN|Arns|Id|ID|Ids|Identifier|Version|Type|Length|Enabled|Policy|Algorithm|Period|Days|Count|Path|Location|Source)$/;
const CREDENTIAL_VALUE =
  /(-----BEGIN [A-Z ]*(PRIVATE KEY|CERTIFICATE)-----|^eyJ[\w-]+\.[\w-]+\.[\w-]+$|^(AKIA|ASIA)[A-Z0-9]{16}$|:\/\/[^/\s:@]+:[^/\s@]+@)/;
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * Whether a field name says it holds a credential (`password`, `authToken`,
 * `secretAccessKey`). Names that only refer to, identify or describe one
 * (`passwordSecretRef`, `kmsKeyId`, `keyName`, `caCertificateIdentifier`,
 * a tag's `key`) do not.
 * @public
 */
export function isCredentialKey(key: string): boolean {
  return CREDENTIAL_NOUN.test(key) && !DESCRIBES_KEY.test(key);
}

/**
 * Whether a string value looks like a credential (PEM block, JWT, AWS access
 * key id, URL with inline password).
 * @public
 */
export function isCredentialValue(value: string): boolean {
  return CREDENTIAL_VALUE.test(value.trim());
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  Boolean(v) && typeof v === 'object' && !Array.isArray(v);

/**
 * A `{name, value}` (or `{key, value}`) pair holding a credential, as in a
 * helm Release's `set` list (`auth.postgresPassword`) or a container's
 * `env` (`DB_PASSWORD`): the last segment of the name decides, and a value
 * that comes `valueFrom.secretKeyRef` always is one.
 */
function isCredentialPair(v: Json): boolean {
  const name = typeof v.name === 'string' ? v.name : v.key;
  if (typeof name !== 'string' || !('value' in v)) return false;
  // a value resolved from a Secret is the Secret's data
  if (isObject(v.valueFrom) && v.valueFrom.secretKeyRef) return true;
  const last = name.split(/[./]/).pop() ?? name;
  return isCredentialKey(last) || isCredentialKey(name.replace(/_/g, '-'));
}

/** A Kubernetes Secret, at the top or wrapped (provider-kubernetes Object manifest, helm values). */
const isSecretObject = (v: Json) =>
  v.kind === 'Secret' && (v.apiVersion === 'v1' || v.apiVersion === undefined);

function redactSecretData(data: unknown): unknown {
  if (!isObject(data)) return data === undefined ? undefined : REDACTED;
  return Object.fromEntries(Object.keys(data).map(k => [k, REDACTED]));
}

/**
 * A block that says where a credential comes from rather than holding it,
 * as a ProviderConfig's `credentials: {source: Secret, secretRef: {...}}`.
 */
const isCredentialSource = (v: unknown) =>
  isObject(v) &&
  Object.keys(v).some(k => k === 'source' || /(Ref|Selector)$/.test(k));

function redactValue(key: string, value: unknown): unknown {
  if (
    isCredentialKey(key) &&
    !isCredentialSource(value) &&
    value !== null &&
    typeof value !== 'boolean' &&
    typeof value !== 'number'
  ) {
    return REDACTED;
  }
  // eslint-disable-next-line @typescript-eslint/no-use-before-define
  return redactTree(value);
}

function redactTree(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(v => redactTree(v));
  if (typeof value === 'string') {
    return isCredentialValue(value) ? REDACTED : value;
  }
  if (!isObject(value)) return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'metadata' && isObject(v)) {
      // names, labels and annotations are not credentials; the
      // last-applied annotation is a copy of the whole object
      const { managedFields: _, ...metadata } = v;
      if (isObject(metadata.annotations)) {
        const { [LAST_APPLIED]: __, ...annotations } = metadata.annotations;
        metadata.annotations = annotations;
      }
      out[k] = metadata;
    } else {
      out[k] = redactValue(k, v);
    }
  }
  if (isCredentialPair(value)) out.value = REDACTED;
  if (isSecretObject(value)) {
    for (const field of ['data', 'stringData']) {
      if (field in value) out[field] = redactSecretData(value[field]);
    }
  }
  return out;
}

/**
 * Returns a copy of a Kubernetes object safe to show, deciding by
 * structure: drops `managedFields` and the last-applied annotation (of the
 * object and of every object it wraps), redacts fields named as
 * credentials (not those that only refer to or identify one), the value of
 * `{name, value}` pairs named as credentials (helm Release `set`, `env`),
 * the data of every Secret, wrapped ones included (provider-kubernetes
 * `Object` manifests in spec and status), and credential-looking strings
 * anywhere.
 * @public
 */
export function redactObject<T extends object>(obj: T): T {
  return redactTree(obj) as T;
}
