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
 * Connection secret keys of managed resources: what the provider's
 * `AdditionalConnectionDetailsFn` writes plus `attribute.<name>` for the
 * Terraform attributes marked sensitive (upjet writes no other attribute).
 * From the providers' `config/namespaced/<group>/config.go` (namespaced and
 * legacy kinds share them); kinds not listed are not checked.
 */
const MANAGED_CONNECTION_KEYS: Record<string, string[]> = {
  // provider-upjet-aws config/namespaced/rds/config.go (aws_db_instance)
  'rds.aws|Instance': [
    'endpoint',
    'address',
    'host',
    'username',
    'port',
    'password',
    'attribute.password',
  ],
  // provider-upjet-aws config/namespaced/elasticache/config.go
  'elasticache.aws|ReplicationGroup': [
    'configuration_endpoint_address',
    'primary_endpoint_address',
    'reader_endpoint_address',
    'port',
    'attribute.auth_token',
  ],
  // provider-upjet-aws: the ClusterAuth kind writes a kubeconfig
  'eks.aws|ClusterAuth': ['kubeconfig'],
  // provider-upjet-gcp config/namespaced/sql/config.go
  'sql.gcp|DatabaseInstance': [
    'connectionName',
    'privateIP',
    'publicIP',
    'password',
    'serverCACertificateCert',
    'serverCACertificateCommonName',
    'serverCACertificateCreateTime',
    'serverCACertificateExpirationTime',
    'serverCACertificateSha1Fingerprint',
    'attribute.root_password',
  ],
  // provider-upjet-gcp config/namespaced/redis/config.go (host is not sensitive)
  'redis.gcp|Instance': ['host', 'attribute.auth_string'],
  // provider-upjet-gcp config/namespaced/container/config.go (clusterConnectionDetails)
  'container.gcp|Cluster': ['kubeconfig'],
  // provider-upjet-azure: no AdditionalConnectionDetailsFn for flexible
  // servers and caches; fqdn, administrator_login and hostname are not
  // sensitive, so only these attributes reach the secret
  'dbforpostgresql.azure|FlexibleServer': ['attribute.administrator_password'],
  'dbformysql.azure|FlexibleServer': ['attribute.administrator_password'],
  'cache.azure|RedisCache': [
    'attribute.primary_access_key',
    'attribute.secondary_access_key',
    'attribute.primary_connection_string',
    'attribute.secondary_connection_string',
  ],
  'storage.azure|Account': [
    'attribute.primary_access_key',
    'attribute.secondary_access_key',
    'attribute.primary_connection_string',
    'attribute.secondary_connection_string',
    'attribute.primary_blob_connection_string',
    'attribute.secondary_blob_connection_string',
  ],
  // provider-upjet-azure config/namespaced/containerservice/config.go
  'containerservice.azure|KubernetesCluster': [
    'kubeconfig',
    'kubeconfig.clustercacertificate',
    'kubeconfig.clientcertificate',
    'kubeconfig.clientkey',
    'attribute.kube_config_raw',
    'attribute.kube_admin_config_raw',
  ],
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
