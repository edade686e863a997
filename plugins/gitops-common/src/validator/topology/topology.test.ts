import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { generateEnvironment } from '../../generator';
import { parseEnvironmentSpec } from '../../spec';
import { toYaml } from '../../yaml';
import { validateRepository } from '../validateRepository';
import { checkTopology, computeTopology, formatTopology } from '.';

/**
 * The blueprint (templates/gitops-repository, inside this repository) with
 * the two example environments: `dev` (local) and `staging` (cloud, AWS,
 * its own cluster). Each mutation test puts one known-bad topology back and
 * expects a message naming the file, the resource and the field.
 */
const repoRoot = path.resolve(__dirname, '..', '..', '..', '..', '..');

function readTree(dir: string, base = dir, out: Record<string, string> = {}) {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) readTree(p, base, out);
    else
      out[path.relative(base, p).split(path.sep).join('/')] = readFileSync(
        p,
        'utf8',
      );
  }
  return out;
}

const example = (name: string) =>
  generateEnvironment(
    parseEnvironmentSpec(
      parse(
        readFileSync(
          path.join(repoRoot, 'examples', 'gitops', `${name}.yaml`),
          'utf8',
        ),
      ),
    ),
  );

const repository: Record<string, string> = {
  ...readTree(path.join(repoRoot, 'templates', 'gitops-repository')),
  ...example('dev'),
  ...example('staging'),
};

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A copy of the repository with one YAML file changed. */
function mutate(
  file: string,
  change: (doc: Obj) => void,
): Record<string, string> {
  const doc = parse(repository[file]) as Obj;
  change(doc);
  return { ...repository, [file]: toYaml(doc) };
}

const render = (issues: ReturnType<typeof checkTopology>) =>
  issues.map(
    i =>
      `${i.file}${i.documentIndex >= 0 ? `#${i.documentIndex}` : ''} ${
        i.path
      }: ${i.message}`,
  );

describe('topology', () => {
  it('places every object of the blueprint and the examples in the right cluster', () => {
    const t = computeTopology(repository);
    expect(t.clusters.map(c => `${c.cluster.id} ${c.cluster.root}`)).toEqual([
      'local clusters/local/root',
      'bootstrap clusters/bootstrap',
      'attach clusters/attach',
      'cloud/staging environments/staging/cluster',
    ]);
    const apps = (id: string) =>
      t.clusters
        .find(c => c.cluster.id === id)!
        .applications.map(a => a.name)
        .sort();
    expect(apps('local')).toEqual([
      'crossplane',
      'dev-infrastructure',
      'dev-workloads',
      'platform',
      'root',
    ]);
    expect(apps('bootstrap')).toContain('staging-bootstrap');
    expect(apps('bootstrap')).not.toContain('staging-infrastructure');
    expect(apps('cloud/staging')).toEqual([
      'argocd',
      'cloud-addons',
      'cloud-root',
      'crossplane',
      'platform',
      'staging-infrastructure',
      'staging-workloads',
    ]);
    const effects = t.clusters.flatMap(c =>
      c.placements
        .filter(p => p.value.kind === 'KubernetesCluster')
        .map(
          p => `${c.cluster.id} ${p.effect!.mode} deletes=${p.effect!.deletes}`,
        ),
    );
    expect(effects).toEqual([
      'bootstrap creates-once deletes=false',
      'attach observes deletes=false',
      'cloud/staging manages deletes=true',
    ]);
    // The cloud cluster's Crossplane writes what its workloads read.
    const cloud = t.clusters.find(c => c.cluster.id === 'cloud/staging')!;
    expect(cloud.placements.flatMap(p => p.effect?.secrets ?? [])).toContain(
      'staging/staging-orders-db-connection',
    );
    expect(cloud.problems).toEqual([]);
    expect(formatTopology(t)).toContain(
      'cluster cloud/staging (cloud, root environments/staging/cluster)',
    );
  });

  it('finds nothing wrong with the blueprint and the examples', () => {
    expect(render(checkTopology(repository))).toEqual([]);
  });

  it('runs as part of validateRepository (rule "topology")', () => {
    const files = mutate('clusters/bootstrap/cloud-bootstrap.yaml', a => {
      delete a.spec.syncPolicy;
    });
    expect(
      validateRepository(files).issues.filter(
        i => i.file === 'clusters/bootstrap/cloud-bootstrap.yaml',
      ),
    ).toEqual([
      expect.objectContaining({
        path: '$.spec.syncPolicy.preserveResourcesOnDeletion',
      }),
    ]);
  });

  it('fails and lists a cloud environment without a cluster as running nowhere', () => {
    // staging as an older generator wrote it: no kubernetesCluster, so no
    // cluster root and no cluster XR.
    const files = Object.fromEntries(
      Object.entries(
        mutate('environments/staging/environment.yaml', e => {
          delete e.spec.resources.kubernetesCluster;
        }),
      ).filter(
        ([f]) =>
          !/^environments\/staging\/(cluster|bootstrap|attach|infrastructure\/kubernetes-cluster)\//.test(
            f,
          ),
      ),
    );
    expect(formatTopology(computeTopology(files))).toContain(
      'environment staging (cloud) runs in no cluster: a cloud environment needs resources.kubernetesCluster',
    );
    expect(render(checkTopology(files))).toContainEqual(
      'environments/staging/environment.yaml#0 $.spec.resources.kubernetesCluster: cloud environment "staging" runs in no cluster: a cloud environment runs in its own Kubernetes cluster: add resources.kubernetesCluster',
    );
    expect(render(checkTopology(repository))).toEqual([]);
  });

  describe('mutations', () => {
    it('an object reconciled by two clusters: the bootstrap keeps the self-managed role', () => {
      const files = mutate(
        'environments/staging/bootstrap/kustomization.yaml',
        k => {
          delete k.patches;
        },
      );
      expect(render(checkTopology(files))).toContainEqual(
        expect.stringMatching(
          /^environments\/staging\/infrastructure\/kubernetes-cluster\/kubernetes-cluster\.yaml#0 \$\.spec\.crossplane\.compositionSelector\.matchLabels: KubernetesCluster staging\/staging-kubernetes-cluster manages cloud resources in 2 clusters \(bootstrap, cloud\/staging\); in cluster bootstrap .*kubernetes-cluster-aws-self-managed/,
        ),
      );
    });

    it('a cloud environment reconciled by the local cluster: the old every-environment infrastructure ApplicationSet', () => {
      const files = mutate('clusters/local/root/infrastructure.yaml', a => {
        a.spec.generators = [
          {
            git: {
              repoURL: a.spec.generators[0].git.repoURL,
              revision: 'main',
              directories: [{ path: 'environments/*/infrastructure' }],
            },
          },
        ];
        a.spec.template.metadata.name = '{{path[1]}}-infrastructure';
        a.spec.template.spec.source.path = '{{path}}';
      });
      const issues = render(checkTopology(files));
      expect(issues).toContainEqual(
        expect.stringMatching(
          /^clusters\/local\/root\/infrastructure\.yaml#0 \$\.spec\.generators\[0\]: Application staging-infrastructure of ApplicationSet infrastructure makes cluster local \(clusters\/local\/root\) reconcile KubernetesCluster staging\/staging-kubernetes-cluster .*Database staging\/staging-orders-db \(environments\/staging\/infrastructure\/database-orders-db\.yaml\).* of cloud environment "staging"/,
        ),
      );
      // ... which also cascades: no preserveResourcesOnDeletion there.
      expect(issues).toContainEqual(
        expect.stringMatching(
          /^clusters\/local\/root\/infrastructure\.yaml#0 \$\.spec\.syncPolicy\.preserveResourcesOnDeletion: ApplicationSet infrastructure in cluster local .* applies .* of cloud environment "staging"/,
        ),
      );
    });

    it('a workload reading a Secret nothing in its cluster produces: the database is not in the cloud cluster', () => {
      const files = mutate(
        'environments/staging/infrastructure/kustomization.yaml',
        k => {
          k.resources = k.resources.filter(
            (r: string) => r !== 'database-orders-db.yaml',
          );
        },
      );
      expect(render(checkTopology(files))).toContainEqual(
        'environments/staging/workloads/patches/orders-api.yaml $.spec.template.spec.containers[0].envFrom[0].secretRef.name: Deployment staging/orders-api reads Secret staging/staging-orders-db-connection, which nothing in cluster cloud/staging (environments/staging/cluster) produces; the Crossplane of the cluster that runs a workload must write its connection Secrets',
      );
    });

    it('a bootstrap ApplicationSet that cascades', () => {
      const files = mutate('clusters/bootstrap/cloud-bootstrap.yaml', a => {
        delete a.spec.syncPolicy;
        a.spec.template.metadata.finalizers = [
          'resources-finalizer.argocd.argoproj.io',
        ];
      });
      const issues = render(checkTopology(files));
      expect(issues).toContainEqual(
        expect.stringMatching(
          /^clusters\/bootstrap\/cloud-bootstrap\.yaml#0 \$\.spec\.syncPolicy\.preserveResourcesOnDeletion: ApplicationSet cloud-bootstrap in cluster bootstrap \(clusters\/bootstrap\) applies KubernetesCluster staging\/staging-kubernetes-cluster/,
        ),
      );
      expect(issues).toContainEqual(
        expect.stringMatching(
          /^clusters\/bootstrap\/cloud-bootstrap\.yaml#0 \$\.spec\.template\.metadata\.finalizers: Application staging-bootstrap of ApplicationSet cloud-bootstrap .* carries the resources-finalizer\.argocd\.argoproj\.io finalizer: deleting it deletes KubernetesCluster staging\/staging-kubernetes-cluster/,
        ),
      );
    });

    it('a bootstrap Composition that may delete the cloud cluster', () => {
      const file =
        'platform/apis/kubernetes-cluster/composition-aws-bootstrap.yaml';
      const files = mutate(file, c => {
        const step = c.spec.pipeline.find((s: Obj) => s.step === 'compose');
        delete step.input.resources.find((r: Obj) => r.name === 'cluster').base
          .spec.managementPolicies;
      });
      expect(render(checkTopology(files))).toContainEqual(
        expect.stringMatching(
          /^platform\/apis\/kubernetes-cluster\/composition-aws-bootstrap\.yaml \$\.spec\.pipeline\[1\]\.input\.resources\[0\]\.base\.spec\.managementPolicies: composed resource "cluster" may be deleted .*KubernetesCluster staging\/staging-kubernetes-cluster \(environments\/staging\/bootstrap\/kustomization\.yaml\)/,
        ),
      );
    });

    it("a local cluster's Argo CD deploying into a cloud cluster", () => {
      const files = mutate('clusters/local/root/workloads.yaml', a => {
        a.spec.template.spec.destination.server = 'https://staging.example.com';
      });
      expect(render(checkTopology(files))).toContainEqual(
        expect.stringMatching(
          /^clusters\/local\/root\/workloads\.yaml#0 \$\.spec\.template\.spec\.destination: Application dev-workloads of ApplicationSet workloads in cluster local \(clusters\/local\/root\) deploys to another cluster \(https:\/\/staging\.example\.com\)/,
        ),
      );
    });

    it("a cloud cluster reconciling another cloud environment's objects", () => {
      const prod = Object.fromEntries(
        Object.entries(example('staging')).map(([f, text]) => [
          f.replace('environments/staging/', 'environments/prod/'),
          text.replace(/staging/g, 'prod'),
        ]),
      );
      const files = {
        ...repository,
        ...prod,
        'environments/staging/cluster/kustomization.yaml': toYaml({
          ...parse(
            repository['environments/staging/cluster/kustomization.yaml'],
          ),
          patches: parse(
            repository['environments/staging/cluster/kustomization.yaml'],
          ).patches.slice(0, 1),
        }),
      };
      expect(render(checkTopology(files))).toContainEqual(
        expect.stringMatching(
          /^clusters\/cloud\/base\/infrastructure\.yaml#0 \$\.spec\.generators\[0\]: Application prod-infrastructure of ApplicationSet cloud-infrastructure makes cluster cloud\/staging \(environments\/staging\/cluster\) reconcile .*Database prod\/prod-orders-db .* of cloud environment "prod"/,
        ),
      );
    });

    it('a cloud managed resource applied directly: observe-only is an attach, anything more is a fault', () => {
      const db = (policies: string[]) => ({
        ...repository,
        'environments/staging/attach/kustomization.yaml': toYaml({
          ...parse(
            repository['environments/staging/attach/kustomization.yaml'],
          ),
          resources: ['../infrastructure/kubernetes-cluster', 'orders-db.yaml'],
        }),
        'environments/staging/attach/orders-db.yaml': toYaml({
          apiVersion: 'rds.aws.m.upbound.io/v1beta1',
          kind: 'Instance',
          metadata: {
            name: 'orders-db',
            namespace: 'staging',
            annotations: { 'crossplane.io/external-name': 'staging-orders-db' },
          },
          spec: {
            managementPolicies: policies,
            forProvider: { region: 'eu-west-1' },
          },
        }),
      });
      expect(render(checkTopology(db(['Observe'])))).toEqual([]);
      expect(render(checkTopology(db(['*'])))).toEqual([
        expect.stringMatching(
          /^clusters\/attach\/cloud-attach\.yaml#0 \$\.spec\.generators\[0\]: Application staging-attach of ApplicationSet cloud-attach makes cluster attach \(clusters\/attach\) reconcile Instance staging\/orders-db \(environments\/staging\/attach\/orders-db\.yaml\) of cloud environment "staging"/,
        ),
        expect.stringMatching(
          /^environments\/staging\/attach\/orders-db\.yaml \$\.spec\.managementPolicies: managed resource "orders-db" may be deleted/,
        ),
      ]);
    });
  });
});
