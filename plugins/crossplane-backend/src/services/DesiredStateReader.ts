import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { GitOpsRepository } from '@epicshelter/plugin-gitops-node';
import { infrastructureDir } from '@epicshelter/plugin-gitops-common';
import {
  DesiredResource,
  LABEL_PROVIDER,
  LABEL_RESOURCE,
} from '@epicshelter/plugin-crossplane-common';
import {
  LabelSelectorRequirement,
  matchesLabelSelector,
} from '@epicshelter/label-selector';

/** What the GitOps repository declares for one environment. */
export interface DesiredState {
  source?: string;
  error?: string;
  resources: DesiredResource[];
}

const ENV_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

function isYaml(file: string) {
  const base = path.posix.basename(file);
  return /\.ya?ml$/.test(base) && !/^kustomization\.ya?ml$/.test(base);
}

/**
 * Where the desired state was read: a web page of the commit's folder, or,
 * for a local repository, the folder inside the repository at its commit —
 * never the server's own path, which would reach the browser.
 */
function sourceOf(repository: GitOpsRepository, sha: string, dir: string) {
  if (repository.kind === 'local') return `${dir} at ${sha.slice(0, 7)}`;
  const tree = repository.kind === 'gitlab' ? '-/tree' : 'tree';
  return `${repository.location}/${tree}/${sha}/${dir}`;
}

/** Where an environment's desired resources are, unless `crossplane.desiredStatePath` says otherwise. */
export const DEFAULT_DESIRED_STATE_PATH = infrastructureDir('{environment}');

/**
 * Reads the desired Crossplane resources of an environment from the GitOps
 * repository (`gitops.repository`, read through the GitOps repository
 * service of gitops-node at the head of `gitops.defaultBranch`): the claim /
 * XR documents under the environment's infrastructure folder
 * (`crossplane.desiredStatePath`, default
 * `environments/{environment}/infrastructure`), i.e. those labelled
 * `epicshelter.io/resource`.
 */
export class DesiredStateReader {
  static fromConfig(
    config: Config,
    deps: {
      /** `gitops.repository` from the GitOps repository service; may throw for an unreadable one. */
      repository: () => GitOpsRepository | undefined;
    },
  ) {
    const template =
      config.getOptionalString('crossplane.desiredStatePath') ??
      DEFAULT_DESIRED_STATE_PATH;
    if (!template.includes('{environment}')) {
      throw new InputError(
        `crossplane.desiredStatePath ${JSON.stringify(
          template,
        )} must contain {environment}, e.g. environments/{environment}/infrastructure`,
      );
    }
    return new DesiredStateReader(deps.repository, template);
  }

  constructor(
    private readonly repositoryOf: () => GitOpsRepository | undefined,
    private readonly pathTemplate: string = DEFAULT_DESIRED_STATE_PATH,
  ) {}

  async read(
    env: string,
    selector: LabelSelectorRequirement[] | undefined,
  ): Promise<DesiredState> {
    let repository: GitOpsRepository | undefined;
    try {
      repository = this.repositoryOf();
    } catch (e) {
      return {
        resources: [],
        error: `Cannot read the GitOps repository: ${(e as Error).message}`,
      };
    }
    if (!repository) {
      return {
        resources: [],
        error: 'No GitOps repository configured (gitops.repository)',
      };
    }
    if (!ENV_NAME.test(env)) {
      return {
        resources: [],
        error: `Environment name '${env}' is not a DNS-1123 label`,
      };
    }
    const dir = this.pathTemplate.split('{environment}').join(env);
    const notGenerated = {
      resources: [],
      error: `The GitOps repository has no ${dir}/ (environment '${env}' not generated yet?)`,
    };
    const files: { path: string; content: string }[] = [];
    let source: string;
    try {
      const head = await repository.head();
      if (!head) return notGenerated;
      source = sourceOf(repository, head.sha, dir);
      if ((await repository.readTree(head.sha, dir)).length === 0) {
        return notGenerated;
      }
      const read = await repository.readFiles(head.sha, dir, isYaml);
      for (const [file, content] of Object.entries(read)) {
        files.push({ path: `${dir}/${file}`, content });
      }
    } catch (e) {
      return {
        resources: [],
        error: `Cannot read the GitOps repository: ${(e as Error).message}`,
      };
    }
    const resources: DesiredResource[] = [];
    const problems: string[] = [];
    for (const f of files.sort((a, b) => a.path.localeCompare(b.path))) {
      for (const doc of parseAllDocuments(f.content)) {
        if (doc.errors.length) {
          problems.push(`${f.path}: ${doc.errors[0].message}`);
          continue;
        }
        const o = doc.toJS() as any;
        const labels: Record<string, string> = o?.metadata?.labels ?? {};
        if (
          !o?.apiVersion ||
          !o.kind ||
          !o.metadata?.name ||
          !labels[LABEL_RESOURCE]
        ) {
          continue;
        }
        if (selector && !matchesLabelSelector(selector, labels)) continue;
        resources.push({
          apiVersion: o.apiVersion,
          kind: o.kind,
          name: o.metadata.name,
          namespace: o.metadata.namespace,
          resourceName: labels[LABEL_RESOURCE],
          provider:
            o.spec?.crossplane?.compositionSelector?.matchLabels?.[
              LABEL_PROVIDER
            ] ??
            o.spec?.compositionSelector?.matchLabels?.[LABEL_PROVIDER] ??
            labels[LABEL_PROVIDER],
          path: f.path,
        });
      }
    }
    return {
      source,
      resources,
      ...(problems.length
        ? { error: `Unparseable YAML: ${problems.join('; ')}` }
        : {}),
    };
  }
}
