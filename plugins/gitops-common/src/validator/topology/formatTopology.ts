import { Placement, RepositoryTopology } from './topology';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function label(p: Placement): string {
  const m = isObj(p.value.metadata) ? p.value.metadata : {};
  const ns = typeof m.namespace === 'string' ? `${m.namespace}/` : '';
  const effect = p.effect
    ? ` [${p.effect.mode}${p.effect.deletes ? ', deletes' : ''}${
        p.effect.secrets.length > 0
          ? `, writes ${p.effect.secrets.join(' ')}`
          : ''
      }]`
    : '';
  return `${String(p.value.kind)} ${ns}${String(m.name)}${effect}`;
}

/**
 * The per-cluster picture, as `yarn gitops topology` prints it: each
 * cluster's root, the Applications its Argo CD runs and what each applies
 * (platform-wide objects counted, environment objects listed with what
 * their Compositions do), and environments no cluster runs.
 * @public
 */
export function formatTopology(t: RepositoryTopology): string {
  const lines: string[] = [];
  for (const c of t.clusters) {
    lines.push(
      `cluster ${c.cluster.id} (${c.cluster.kind}, root ${c.cluster.root})`,
    );
    const groups = new Map<string, Placement[]>();
    for (const p of c.placements) {
      const key = p.via ? p.via.name : '(root)';
      groups.set(key, [...(groups.get(key) ?? []), p]);
    }
    const source = new Map(c.applications.map(a => [a.name, a.source]));
    for (const [app, list] of groups) {
      const envObjects = list.filter(p => p.environment);
      const shared = list.length - envObjects.length;
      lines.push(
        `  ${app}${source.has(app) ? ` <- ${source.get(app)}` : ''}${
          shared > 0
            ? ` (${shared} shared object${shared === 1 ? '' : 's'})`
            : ''
        }`,
      );
      for (const p of envObjects)
        lines.push(`    ${p.environment}: ${label(p)}`);
    }
    for (const a of c.applications.filter(x => !x.inRepository)) {
      if (!groups.has(a.name)) lines.push(`  ${a.name} <- ${a.source}`);
    }
    for (const problem of c.problems) lines.push(`  ! ${problem}`);
  }
  const placed = new Set(
    t.clusters.flatMap(c =>
      c.placements
        .filter(p => p.via && /-(infrastructure|workloads)$/.test(p.via.name))
        .map(p => p.environment),
    ),
  );
  for (const e of t.environments) {
    if (!placed.has(e.name)) {
      lines.push(
        `environment ${e.name} (${e.target}) runs in no cluster${
          e.target === 'cloud' && !e.hasCluster
            ? ': a cloud environment needs resources.kubernetesCluster'
            : ''
        }`,
      );
    }
  }
  return lines.join('\n');
}
