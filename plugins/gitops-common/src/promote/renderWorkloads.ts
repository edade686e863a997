import { workloadsDir } from '../constants';
import { dirnameOf } from '../paths';
import {
  buildKustomization,
  kustomizationFile,
} from '../validator/topology/kustomize';
import { RepositoryTree } from '../validator/repositoryTree';
import { toYaml } from '../yaml';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Result of {@link renderWorkloads}. @public */
export interface RenderedWorkloads {
  /** The built objects as one multi-document YAML, sorted by kind, namespace and name. */
  yaml: string;
  /** What made the build incomplete (missing bases, bad patches). */
  problems: string[];
}

/** The pod spec of a workload object (Deployment, Job, CronJob, ...), if any. */
function podSpecOf(o: Obj): Obj | undefined {
  const spec = isObj(o.spec) ? o.spec : undefined;
  const template =
    o.kind === 'CronJob' && isObj(spec?.jobTemplate)
      ? (spec!.jobTemplate as Obj).spec
      : spec;
  const t = isObj(template) ? template.template : undefined;
  return isObj(t) && isObj(t.spec) ? t.spec : undefined;
}

/** Splits an image reference into its name and the rest (`:tag`, `@digest`). */
function splitImage(image: string): {
  name: string;
  tag?: string;
  digest?: string;
} {
  const [withTag, digest] = image.split('@');
  const slash = withTag.lastIndexOf('/');
  const colon = withTag.lastIndexOf(':');
  return colon > slash
    ? { name: withTag.slice(0, colon), tag: withTag.slice(colon + 1), digest }
    : { name: withTag, digest };
}

/** kustomize's `images` transformer: retags (or renames) matching containers. */
function applyImages(o: Obj, images: Obj[]): Obj {
  const podSpec = podSpecOf(o);
  if (!podSpec) return o;
  for (const key of ['initContainers', 'containers']) {
    const list = podSpec[key];
    if (!Array.isArray(list)) continue;
    for (const c of list) {
      if (!isObj(c) || typeof c.image !== 'string') continue;
      const ref = splitImage(c.image);
      const rule = images.find(i => i.name === ref.name);
      if (!rule) continue;
      const name = typeof rule.newName === 'string' ? rule.newName : ref.name;
      if (typeof rule.digest === 'string') c.image = `${name}@${rule.digest}`;
      else {
        const tag = rule.newTag !== undefined ? String(rule.newTag) : ref.tag;
        c.image = tag === undefined ? name : `${name}:${tag}`;
      }
    }
  }
  return o;
}

/** kustomize's `labels` field: metadata labels, and selectors and pod template labels where asked. */
function applyLabels(o: Obj, labels: Obj[]): Obj {
  const merge = (holder: Obj, key: string, pairs: Obj) => {
    holder[key] = {
      ...(isObj(holder[key]) ? (holder[key] as Obj) : {}),
      ...pairs,
    };
  };
  for (const l of labels) {
    if (!isObj(l.pairs)) continue;
    const meta = isObj(o.metadata) ? o.metadata : (o.metadata = {});
    merge(meta, 'labels', l.pairs);
    const spec = isObj(o.spec) ? o.spec : undefined;
    if (!spec) continue;
    if (l.includeSelectors === true) {
      if (o.kind === 'Service') merge(spec, 'selector', l.pairs);
      else if (isObj(spec.selector))
        merge(spec.selector, 'matchLabels', l.pairs);
    }
    if (
      (l.includeSelectors === true || l.includeTemplates === true) &&
      isObj(spec.template)
    ) {
      const t = spec.template;
      merge(
        isObj(t.metadata) ? t.metadata : (t.metadata = {}),
        'labels',
        l.pairs,
      );
    }
  }
  return o;
}

const sortKey = (o: Obj) => {
  const m = isObj(o.metadata) ? o.metadata : {};
  return `${String(o.kind)}/${String(m.namespace ?? '')}/${String(m.name)}`;
};

/**
 * Renders an environment's workloads overlay in memory, as
 * `kustomize build environments/<env>/workloads` would: the app bases with the overlay's
 * namespace and patches (the topology check's kustomize builder), then the
 * `labels` and `images` of each app base and of the overlay. No external
 * binary; remote bases are skipped. Deeper kustomization chains than
 * overlay → base get only the base's and the overlay's transformers.
 * @public
 */
export function renderWorkloads(
  files: Record<string, string>,
  env: string,
): RenderedWorkloads {
  const tree = new RepositoryTree(files);
  const dir = workloadsDir(env);
  const { objects, problems } = buildKustomization(tree, dir);
  const fieldOf = (kdir: string, key: string): Obj[] => {
    const kfile = kustomizationFile(tree, kdir);
    const k = kfile ? tree.yaml(kfile) : undefined;
    return isObj(k) && Array.isArray(k[key])
      ? (k[key] as unknown[]).filter(isObj)
      : [];
  };
  // The transformers of the kustomization that lists the object's file
  // (an app base) run first, then the overlay's, as kustomize does.
  const transform = (o: Obj, kdir: string) =>
    applyImages(
      applyLabels(o, fieldOf(kdir, 'labels')),
      fieldOf(kdir, 'images'),
    );
  const rendered = objects
    .map(o => {
      const own = dirnameOf(o.file);
      const value = structuredClone(o.value);
      return transform(own === dir ? value : transform(value, own), dir);
    })
    .sort((x, y) => (sortKey(x) < sortKey(y) ? -1 : 1));
  return {
    yaml: rendered.map(o => toYaml(o)).join('---\n'),
    problems,
  };
}
