/** Placeholder that replaces a redacted value. @public */
export const REDACTED = '<redacted>';

const CREDENTIAL_KEY =
  /(pass(word|wd|phrase)?|secret|token|credential|private[-_]?key|access[-_]?key|api[-_]?key|client[-_]?key|auth[-_]?key|kubeconfig|certificate|connection[-_]?string|^cert$|^key$|sas$|signature)/i;
const REFERENCE_KEY = /(Ref|Refs|Selector|Name)$/;
const CREDENTIAL_VALUE =
  /(-----BEGIN [A-Z ]*(PRIVATE KEY|CERTIFICATE)-----|^eyJ[\w-]+\.[\w-]+\.[\w-]+$|^(AKIA|ASIA)[A-Z0-9]{16}$|:\/\/[^/\s:@]+:[^/\s@]+@)/;

/**
 * Whether a field name looks like it holds a credential. References to
 * secrets (`...SecretRef`, `...Selector`, `...Name`) are not credentials.
 * @public
 */
export function isCredentialKey(key: string): boolean {
  return CREDENTIAL_KEY.test(key) && !REFERENCE_KEY.test(key);
}

/**
 * Whether a string value looks like a credential (PEM block, JWT, AWS access
 * key id, URL with inline password).
 * @public
 */
export function isCredentialValue(value: string): boolean {
  return CREDENTIAL_VALUE.test(value.trim());
}

function redactTree(value: unknown, inSensitiveBlock: boolean): unknown {
  if (Array.isArray(value)) {
    return value.map(v => redactTree(v, inSensitiveBlock));
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (
        inSensitiveBlock &&
        isCredentialKey(k) &&
        v !== null &&
        typeof v !== 'boolean' &&
        typeof v !== 'number'
      ) {
        out[k] = REDACTED;
      } else {
        // references to secrets (`...SecretRef: {name, key}`) hold names only
        out[k] = redactTree(v, inSensitiveBlock && !REFERENCE_KEY.test(k));
      }
    }
    return out;
  }
  if (typeof value === 'string' && isCredentialValue(value)) {
    return REDACTED;
  }
  return value;
}

/**
 * Returns a copy of a Kubernetes object safe to show: drops
 * `metadata.managedFields` and the last-applied annotation, redacts
 * credential-looking fields of `status.atProvider`, `spec.forProvider` and
 * `spec.initProvider`, and credential-looking string values anywhere.
 * @public
 */
export function redactObject<T extends object>(obj: T): T {
  const copy = redactTree(obj, false) as Record<string, any>;
  if (copy.metadata) {
    delete copy.metadata.managedFields;
    if (copy.metadata.annotations) {
      delete copy.metadata.annotations[
        'kubectl.kubernetes.io/last-applied-configuration'
      ];
    }
  }
  const source = obj as Record<string, any>;
  if (source.status?.atProvider) {
    copy.status.atProvider = redactTree(source.status.atProvider, true);
  }
  for (const block of ['forProvider', 'initProvider']) {
    if (source.spec?.[block]) {
      copy.spec[block] = redactTree(source.spec[block], true);
    }
  }
  if (source.kind === 'Secret') {
    delete copy.data;
    delete copy.stringData;
  }
  return copy as T;
}
