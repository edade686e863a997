type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const at = (o: unknown, ...keys: string[]): unknown =>
  keys.reduce<unknown>((v, k) => (isObj(v) ? v[k] : undefined), o);

/**
 * Keys of the Secret each pinned Helm chart writes, as its templates define
 * them, for the values the platform passes. Known facts, from the charts'
 * `templates/secrets.yaml` at the pinned versions:
 * - bitnami/postgresql 16.7.27: `postgres-password` (postgres user enabled,
 *   the default), `password` when `auth.username` names another user,
 *   `replication-password` with `architecture: replication`;
 * - bitnami/mysql 14.0.3: `mysql-root-password`, `mysql-password` when
 *   `auth.username` is set, `mysql-replication-password` with
 *   `architecture: replication` (there is no `password` key);
 * - bitnami/redis 21.2.13: `redis-password` when `auth.enabled` (default true);
 * - minio/minio 5.4.0 (charts.min.io): `rootUser`, `rootPassword`.
 */
const CHART_SECRET_KEYS: Record<string, (values: Obj) => string[]> = {
  'postgresql@16.7.27': values => [
    ...(at(values, 'auth', 'enablePostgresUser') === false
      ? []
      : ['postgres-password']),
    ...(typeof at(values, 'auth', 'username') === 'string' &&
    at(values, 'auth', 'username') !== 'postgres'
      ? ['password']
      : []),
    ...(at(values, 'architecture') === 'replication'
      ? ['replication-password']
      : []),
  ],
  'mysql@14.0.3': values => [
    'mysql-root-password',
    ...(typeof at(values, 'auth', 'username') === 'string' &&
    at(values, 'auth', 'username') !== 'root'
      ? ['mysql-password']
      : []),
    ...(at(values, 'architecture') === 'replication'
      ? ['mysql-replication-password']
      : []),
  ],
  'redis@21.2.13': values =>
    at(values, 'auth', 'enabled') === false ? [] : ['redis-password'],
  'minio@5.4.0': () => ['rootUser', 'rootPassword'],
};

/** The keys of the Secret a chart release writes, or undefined when the chart is not known. */
export function chartSecretKeys(chart: Obj, values: Obj): string[] | undefined {
  return CHART_SECRET_KEYS[`${chart.name}@${chart.version}`]?.(values);
}

/**
 * Connection secret keys of managed resources, from the providers' sources at
 * the pinned versions (upjet `AdditionalConnectionDetailsFn` plus
 * `attribute.<sensitive attribute>`); kinds not listed are not checked.
 * - rds Instance (provider-upjet-aws config/namespaced/rds/config.go):
 *   endpoint, address, host, username, port, password; attribute.password.
 * - eks ClusterAuth (provider-upjet-aws, custom ClusterAuth kind): kubeconfig.
 */
const MANAGED_CONNECTION_KEYS: Record<string, string[]> = {
  'rds.aws|Instance': [
    'endpoint',
    'address',
    'host',
    'username',
    'port',
    'password',
    'attribute.password',
  ],
  'eks.aws|ClusterAuth': ['kubeconfig'],
};

/** The connection secret keys a composed resource writes, or undefined when not known. */
export function connectionSecretKeys(resource: Obj): string[] | undefined {
  const group = String(resource.apiVersion).split('/')[0];
  if (/^helm(\.m)?\.crossplane\.io$/.test(group)) {
    const details = at(resource, 'spec', 'connectionDetails');
    return Array.isArray(details)
      ? details.filter(isObj).map(d => String(d.toConnectionSecretKey))
      : [];
  }
  const service = group.replace(/(\.m)?\.upbound\.io$/, '');
  return MANAGED_CONNECTION_KEYS[`${service}|${resource.kind}`];
}
