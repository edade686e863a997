import {
  ANNOTATION_EXTERNAL_NAME,
  LABEL_ENVIRONMENT,
  LABEL_PART_OF,
  PART_OF_VALUE,
} from '../../constants';
import { AWS_EKS_ZONE_IDS } from '../awsZones';
import { CREATE_ONCE } from './policies';
import { InClusterObject, ProviderCompositions } from './types';
import {
  ComposedResource,
  Obj,
  Style,
  block,
  boolMap,
  conn,
  fmt,
  from,
  inBlock,
  map,
  mrApi,
  providerConfigRef,
} from './patches';
import { blockField, generatedPassword, managedResources } from './managed';

/** AWS: RDS, ElastiCache, S3 and EKS (provider-upjet-aws). */

const SIZE = {
  awsDb: {
    small: 'db.t4g.micro',
    medium: 'db.t4g.medium',
    large: 'db.r6g.large',
  },
  awsCache: {
    small: 'cache.t4g.micro',
    medium: 'cache.t4g.medium',
    large: 'cache.r6g.large',
  },
  awsNode: { small: 't3.medium', medium: 'm6i.large', large: 'm6i.xlarge' },
};

const managed = managedResources('aws');

/** RDS instance; the provider generates the password. */
function database(style: Style): ComposedResource[] {
  const password = generatedPassword(style, 'passwordSecretRef');
  return [
    managed(style, {
      name: 'instance',
      service: 'rds',
      kind: 'Instance',
      regionField: 'region',
      forProvider: {
        engine: '',
        engineVersion: '',
        instanceClass: '',
        allocatedStorage: 20,
        username: 'app',
        dbName: 'app',
        autoGeneratePassword: true,
        passwordSecretRef: password.ref,
        publiclyAccessible: false,
        skipFinalSnapshot: true,
        storageEncrypted: true,
      },
      patches: [
        from('spec.parameters.engine', 'spec.forProvider.engine'),
        from('spec.parameters.version', 'spec.forProvider.engineVersion'),
        from('spec.parameters.size', 'spec.forProvider.instanceClass', [
          map(SIZE.awsDb),
        ]),
        password.patch,
      ],
      connectionDetails: [
        conn('username'),
        conn('password', 'attribute.password'),
        conn('endpoint'),
        conn('port'),
      ],
      connectionSecret: 'connection',
    }),
  ];
}

/** ElastiCache replication group. */
function cache(style: Style): ComposedResource[] {
  return [
    managed(style, {
      name: 'replication-group',
      service: 'elasticache',
      kind: 'ReplicationGroup',
      regionField: 'region',
      forProvider: {
        description: 'Managed by Epicshelter',
        engine: 'redis',
        engineVersion: '',
        nodeType: '',
        numCacheClusters: 1,
        transitEncryptionEnabled: true,
        // A string in the provider's schema.
        atRestEncryptionEnabled: 'true',
      },
      patches: [
        from('spec.parameters.version', 'spec.forProvider.engineVersion'),
        from('spec.parameters.size', 'spec.forProvider.nodeType', [
          map(SIZE.awsCache),
        ]),
      ],
      connectionDetails: [
        conn('endpoint', 'primary_endpoint_address'),
        conn('port'),
      ],
      connectionSecret: 'connection',
    }),
  ];
}

/** S3 bucket and its versioning. */
function bucket(style: Style): ComposedResource[] {
  return [
    managed(style, {
      name: 'bucket',
      service: 's3',
      kind: 'Bucket',
      regionField: 'region',
      forProvider: {},
      connectionSecret: 'connection',
    }),
    managed(style, {
      name: 'versioning',
      service: 's3',
      kind: 'BucketVersioning',
      regionField: 'region',
      forProvider: {
        bucketSelector: { matchControllerRef: true },
        versioningConfiguration: block(style, { status: 'Suspended' }),
      },
      patches: [
        from(
          'spec.parameters.versioning',
          blockField(style, 'versioningConfiguration', 'status'),
          boolMap({ true: 'Enabled', false: 'Suspended' }),
        ),
      ],
    }),
  ];
}

/**
 * XR status fields of the AWS bootstrap, written from what its composed
 * resources observe (ToCompositeFieldPath) and read by others:
 * - `rolesCreatedAt`: the `crossplane.io/external-create-succeeded`
 *   annotation crossplane-runtime puts on a managed resource when it created
 *   the external resource itself, here the IAM role `<env>-eks-cluster`. A
 *   bootstrap that finds the role (a second bootstrap) never gets it.
 * - `clusterSubnetIds`: the subnets of the EKS cluster `<env>` as AWS
 *   reports them (`status.atProvider.vpcConfig.subnetIds`), read by an
 *   observe-only probe once the cluster exists.
 */
const ROLES_CREATED_AT = 'status.bootstrap.rolesCreatedAt';
const CLUSTER_SUBNET_IDS = 'status.bootstrap.clusterSubnetIds';
/** Annotation that carries {@link ROLES_CREATED_AT} onto the network resources it gates. */
const ANNOTATION_NETWORK_GATE =
  'platform.epicshelter.io/network-created-with-roles';

/**
 * The network's gate: a Required patch from {@link ROLES_CREATED_AT}.
 * function-patch-and-transform leaves a resource whose required patch has
 * no source out of the desired state (it is not created) until the source
 * exists, so only the bootstrap that created the IAM roles composes the
 * VPC, its subnets, gateway, route table, route and associations, whose IDs
 * AWS assigns. Any other bootstrap composes none of them, so it creates no
 * spare network: the cloud cluster already owns the first one.
 */
const NETWORK_GATE: Obj = {
  ...from(ROLES_CREATED_AT, `metadata.annotations[${ANNOTATION_NETWORK_GATE}]`),
  policy: { fromFieldPath: 'Required' },
};

/** Label that tells the EKS cluster's and node group's IAM role selectors which composed Role is theirs. */
const LABEL_AWS_ROLE = 'platform.epicshelter.io/aws-role';
/** Label that tells each route table association which composed Subnet is its own. */
const LABEL_AWS_ZONE = 'platform.epicshelter.io/zone';

const assumeRolePolicy = (service: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: service },
        Action: 'sts:AssumeRole',
      },
    ],
  });

/**
 * What an EKS cluster needs besides itself, composed next to it so every
 * reference selector resolves within the composite resource
 * (`matchControllerRef`): a VPC with two public subnets in two zones of the
 * region, by zone ID (EKS wants two zones; see awsZones.ts), an internet gateway and its route,
 * and the IAM roles of the control plane and the nodes with AWS's managed
 * policies. Served by provider-aws-ec2 and provider-aws-iam.
 */
function eksNetwork(style: Style): ComposedResource[] {
  const policies = CREATE_ONCE;
  const region = from('spec.parameters.region', 'spec.forProvider.region');
  // Fixed names, so the hand-over Objects (awsNetworkHandOver) can read
  // each resource's external name and resolved references.
  const named = (name: string): Obj[] => [
    from('metadata.name', 'metadata.name', [fmt(`%s-${name}`)]),
  ];
  const mr = (
    name: string,
    service: 'ec2' | 'iam',
    kind: string,
    forProvider: Obj,
    patches: Obj[] = [],
    labels?: Record<string, string>,
  ): ComposedResource => ({
    name,
    base: {
      apiVersion: mrApi(style, service, 'aws'),
      kind,
      ...(labels ? { metadata: { labels } } : {}),
      spec: {
        ...(policies.length > 0 ? { managementPolicies: [...policies] } : {}),
        forProvider,
        providerConfigRef: providerConfigRef(style),
      },
    },
    patches: [
      ...named(name),
      // Every ec2 resource has an ID that AWS assigns: gated.
      ...(service === 'ec2' ? [NETWORK_GATE] : []),
      ...patches,
    ],
  });
  const inVpc = { region: '', vpcIdSelector: { matchControllerRef: true } };
  // Zone IDs, not names: `<region>a`/`<region>b` do not exist in every
  // account (awsZones.ts).
  const zones = [
    ['a', 0, '10.0.0.0/18'],
    ['b', 1, '10.0.64.0/18'],
  ] as const;
  // IAM role names are chosen, not assigned: `<env>-eks-cluster` and
  // `<env>-eks-node`, so every role (bootstrap, self-managed) adopts them by
  // name. Policy attachments need no adoption: attaching an attached policy
  // succeeds.
  const iamRole = (
    name: string,
    service: string,
    awsManagedPolicies: string[],
  ) => [
    mr(
      name,
      'iam',
      'Role',
      { assumeRolePolicy: assumeRolePolicy(service) },
      [
        from(
          'spec.parameters.environment',
          `metadata.annotations[${ANNOTATION_EXTERNAL_NAME}]`,
          [fmt(`%s-${name}`)],
        ),
        ...(name === 'eks-cluster'
          ? [
              {
                type: 'ToCompositeFieldPath',
                fromFieldPath:
                  'metadata.annotations[crossplane.io/external-create-succeeded]',
                toFieldPath: ROLES_CREATED_AT,
              },
            ]
          : []),
      ],
      {
        [LABEL_AWS_ROLE]: name,
      },
    ),
    ...awsManagedPolicies.map(policy =>
      mr(
        `${name}-${policy.toLowerCase().replace(/_/g, '-')}`,
        'iam',
        'RolePolicyAttachment',
        {
          policyArn: `arn:aws:iam::aws:policy/${policy}`,
          roleSelector: {
            matchControllerRef: true,
            matchLabels: { [LABEL_AWS_ROLE]: name },
          },
        },
      ),
    ),
  ];
  return [
    mr(
      'vpc',
      'ec2',
      'VPC',
      {
        region: '',
        cidrBlock: '10.0.0.0/16',
        enableDnsSupport: true,
        enableDnsHostnames: true,
      },
      [region],
    ),
    ...zones.map(([zone, index, cidrBlock]) =>
      mr(
        `subnet-${zone}`,
        'ec2',
        'Subnet',
        {
          ...inVpc,
          availabilityZoneId: '',
          cidrBlock,
          mapPublicIpOnLaunch: true,
        },
        [
          region,
          from(
            'spec.parameters.region',
            'spec.forProvider.availabilityZoneId',
            [
              map(
                Object.fromEntries(
                  Object.entries(AWS_EKS_ZONE_IDS).map(([r, ids]) => [
                    r,
                    ids[index],
                  ]),
                ),
              ),
            ],
          ),
        ],
        { [LABEL_AWS_ZONE]: zone },
      ),
    ),
    mr('internet-gateway', 'ec2', 'InternetGateway', { ...inVpc }, [region]),
    mr('route-table', 'ec2', 'RouteTable', { ...inVpc }, [region]),
    mr(
      'default-route',
      'ec2',
      'Route',
      {
        region: '',
        destinationCidrBlock: '0.0.0.0/0',
        routeTableIdSelector: { matchControllerRef: true },
        gatewayIdSelector: { matchControllerRef: true },
      },
      [region],
    ),
    ...zones.map(([zone]) =>
      mr(
        `route-table-association-${zone}`,
        'ec2',
        'RouteTableAssociation',
        {
          region: '',
          routeTableIdSelector: { matchControllerRef: true },
          subnetIdSelector: {
            matchControllerRef: true,
            matchLabels: { [LABEL_AWS_ZONE]: zone },
          },
        },
        [region],
      ),
    ),
    ...iamRole('eks-cluster', 'eks.amazonaws.com', ['AmazonEKSClusterPolicy']),
    ...iamRole('eks-node', 'ec2.amazonaws.com', [
      'AmazonEKSWorkerNodePolicy',
      'AmazonEKS_CNI_Policy',
      'AmazonEC2ContainerRegistryReadOnly',
    ]),
  ];
}

/** The EKS cluster, its node group and the kubeconfig (ClusterAuth). */
function clusterResources(style: Style): ComposedResource[] {
  const scaling = (field: string) =>
    from(
      'spec.parameters.nodeCount',
      blockField(style, 'scalingConfig', field),
    );
  return [
    managed(style, {
      name: 'cluster',
      service: 'eks',
      kind: 'Cluster',
      regionField: 'region',
      forProvider: {
        version: '',
        roleArnSelector: {
          matchControllerRef: true,
          matchLabels: { [LABEL_AWS_ROLE]: 'eks-cluster' },
        },
        vpcConfig: block(style, {
          subnetIdSelector: { matchControllerRef: true },
          endpointPublicAccess: true,
        }),
      },
      patches: [from('spec.parameters.version', 'spec.forProvider.version')],
    }),
    managed(style, {
      name: 'node-group',
      service: 'eks',
      kind: 'NodeGroup',
      regionField: 'region',
      forProvider: {
        clusterNameSelector: { matchControllerRef: true },
        nodeRoleArnSelector: {
          matchControllerRef: true,
          matchLabels: { [LABEL_AWS_ROLE]: 'eks-node' },
        },
        subnetIdSelector: { matchControllerRef: true },
        instanceTypes: [''],
        scalingConfig: block(style, { desiredSize: 1, minSize: 1, maxSize: 1 }),
      },
      patches: [
        from('spec.parameters.nodeSize', 'spec.forProvider.instanceTypes[0]', [
          map(SIZE.awsNode),
        ]),
        scaling('desiredSize'),
        scaling('minSize'),
        scaling('maxSize'),
      ],
    }),
    managed(style, {
      name: 'cluster-auth',
      service: 'eks',
      kind: 'ClusterAuth',
      regionField: 'region',
      forProvider: { clusterNameSelector: { matchControllerRef: true } },
      connectionDetails: [conn('kubeconfig')],
      connectionSecret: 'kubeconfig',
    }),
  ];
}

/**
 * The bootstrap's hand-over of the AWS network and IAM roles: for each of
 * them an Object, created once in the new cluster through its
 * ProviderConfig, whose manifest is the same managed resource
 * (`<env>-<resource>`, fully managed there) carrying the bootstrap's
 * identifiers: its `crossplane.io/external-name` (AWS-assigned IDs such as
 * `vpc-...`), the IDs its references resolved to (`vpcId`, `subnetId`, ...)
 * and its patched fields, all copied with `references[].patchesFrom` from
 * the bootstrap's own resource (provider-kubernetes reads references in the
 * cluster it runs in, this one). An Object waits until those values exist,
 * so the cloud cluster never receives a resource without its identity and
 * never creates a second network. From then on the cloud cluster's
 * Crossplane owns them; the bootstrap's copies only observe.
 */
function awsNetworkHandOver(
  style: Style,
  network: ComposedResource[],
  inClusterObject: (
    name: string,
    manifest: Obj,
    patches?: Obj[],
    references?: Obj[],
  ) => ComposedResource,
): ComposedResource[] {
  const manifestPath = (field: string) => `spec.forProvider.manifest.${field}`;
  return network.map(r => {
    const spec = (r.base.spec ?? {}) as Obj;
    const forProvider = (spec.forProvider ?? {}) as Obj;
    // Fields patched from the XR (region, zone): the same patches, into
    // the manifest.
    const forProviderPatches = (r.patches ?? []).filter(p =>
      String(p.toFieldPath).startsWith('spec.forProvider.'),
    );
    const selectors = Object.keys(forProvider).filter(k =>
      k.endsWith('Selector'),
    );
    const copied = [
      `metadata.annotations[${ANNOTATION_EXTERNAL_NAME}]`,
      ...selectors.map(k => `spec.forProvider.${k.replace(/Selector$/, '')}`),
    ];
    const given = Object.fromEntries(
      Object.entries(forProvider).filter(([k]) => !k.endsWith('Selector')),
    );
    const baseLabels = ((r.base.metadata as Obj | undefined)?.labels ??
      {}) as Obj;
    const manifest = {
      apiVersion: r.base.apiVersion,
      kind: r.base.kind,
      metadata: {
        name: '',
        ...(style === 'v2' ? { namespace: '' } : {}),
        labels: {
          ...baseLabels,
          [LABEL_PART_OF]: PART_OF_VALUE,
          [LABEL_ENVIRONMENT]: '',
        },
      },
      spec: {
        forProvider: given,
        providerConfigRef: spec.providerConfigRef,
      },
    };
    return inClusterObject(
      `${r.name}-hand-over`,
      manifest,
      [
        // Handed over only by the bootstrap that composes the resource.
        ...((r.patches ?? []).includes(NETWORK_GATE) ? [NETWORK_GATE] : []),
        from('spec.parameters.environment', manifestPath('metadata.name'), [
          fmt(`%s-${r.name}`),
        ]),
        ...(style === 'v2'
          ? [
              from(
                'spec.parameters.environment',
                manifestPath('metadata.namespace'),
              ),
            ]
          : []),
        from(
          'spec.parameters.environment',
          manifestPath(`metadata.labels[${LABEL_ENVIRONMENT}]`),
        ),
        ...forProviderPatches.map(p => ({
          ...p,
          toFieldPath: manifestPath(String(p.toFieldPath)),
        })),
        ...copied.flatMap((_, i) => [
          from('metadata.name', `spec.references[${i}].patchesFrom.name`, [
            fmt(`%s-${r.name}`),
          ]),
          ...(style === 'v2'
            ? [
                from(
                  'metadata.namespace',
                  `spec.references[${i}].patchesFrom.namespace`,
                ),
              ]
            : []),
        ]),
      ],
      copied.map(fieldPath => ({
        patchesFrom: {
          apiVersion: r.base.apiVersion,
          kind: r.base.kind,
          name: '',
          ...(style === 'v2' ? { namespace: '' } : {}),
          fieldPath,
        },
        toFieldPath: fieldPath,
      })),
    );
  });
}

/**
 * The bootstrap's probe of an existing EKS cluster `<env>`: observe-only (no
 * reference to resolve, nothing to create), it reports the cluster's subnets
 * into {@link CLUSTER_SUBNET_IDS} once the cluster exists. A second
 * bootstrap composes no subnets, so its cluster and node group take their
 * subnet IDs from there (withObservedSubnets); a first one gets the same IDs
 * its selectors resolved.
 */
function existingClusterProbe(style: Style): ComposedResource {
  return {
    name: 'existing-cluster',
    base: {
      apiVersion: mrApi(style, 'eks', 'aws'),
      kind: 'Cluster',
      metadata: { annotations: { [ANNOTATION_EXTERNAL_NAME]: '' } },
      spec: {
        managementPolicies: ['Observe'],
        forProvider: { region: '' },
        providerConfigRef: providerConfigRef(style),
      },
    },
    patches: [
      from(
        'spec.parameters.environment',
        `metadata.annotations[${ANNOTATION_EXTERNAL_NAME}]`,
      ),
      from('spec.parameters.region', 'spec.forProvider.region'),
      {
        type: 'ToCompositeFieldPath',
        fromFieldPath: `status.atProvider.${inBlock(
          style,
          'vpcConfig',
        )}.subnetIds`,
        toFieldPath: CLUSTER_SUBNET_IDS,
      },
    ],
  };
}

/** The bootstrap's cluster and node group take the probed subnet IDs when there are some (a set value needs no selector). */
function withObservedSubnets(
  r: ComposedResource,
  style: Style,
): ComposedResource {
  const field: Record<string, string> = {
    cluster: blockField(style, 'vpcConfig', 'subnetIds'),
    'node-group': 'spec.forProvider.subnetIds',
  };
  if (!field[r.name]) return r;
  return {
    ...r,
    patches: [...(r.patches ?? []), from(CLUSTER_SUBNET_IDS, field[r.name])],
  };
}

/**
 * An observer composes no network or IAM role: it observes the cluster and
 * node group by name, whose role and subnets it only reads.
 */
function withoutEksNetworkRefs(r: ComposedResource): ComposedResource {
  const spec = (r.base.spec ?? {}) as Obj;
  const forProvider = { ...((spec.forProvider ?? {}) as Obj) };
  delete forProvider.roleArnSelector;
  delete forProvider.nodeRoleArnSelector;
  delete forProvider.subnetIdSelector;
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (typeof v !== 'object' || v === null) return v;
    const { subnetIdSelector: _drop, ...rest } = v as Obj;
    return rest;
  };
  if (forProvider.vpcConfig !== undefined) {
    forProvider.vpcConfig = strip(forProvider.vpcConfig);
  }
  return { ...r, base: { ...r.base, spec: { ...spec, forProvider } } };
}

/** AWS's Compositions. */
export const awsCompositions: ProviderCompositions = {
  provider: 'aws',
  resources: { Database: database, Cache: cache, Bucket: bucket },
  cluster: {
    resources: clusterResources,
    forRole: (r, role, style) =>
      role === 'bootstrap'
        ? withObservedSubnets(r, style)
        : withoutEksNetworkRefs(r),
    // The network and IAM roles: the bootstrap creates them once and never
    // deletes them, and hands them over to the new cluster's Crossplane
    // (awsNetworkHandOver); the cluster's own XR and observers do not
    // compose them. Only the bootstrap that creates the roles composes the
    // network (NETWORK_GATE).
    extra: (style, role) =>
      role === 'bootstrap'
        ? [...eksNetwork(style), existingClusterProbe(style)]
        : [],
    bootstrapObjects: (style: Style, inClusterObject: InClusterObject) =>
      awsNetworkHandOver(style, eksNetwork(style), inClusterObject),
  },
};
