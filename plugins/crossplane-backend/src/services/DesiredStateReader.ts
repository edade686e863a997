import fs from 'node:fs/promises';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { Config } from '@backstage/config';
import { UrlReaderService } from '@backstage/backend-plugin-api';
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
  const base = path.basename(file);
  return /\.ya?ml$/.test(base) && !/^kustomization\.ya?ml$/.test(base);
}

/**
 * Reads the desired Crossplane resources of an environment from the GitOps
 * repository (`gitops.repository`, declared by the gitops-node package): the
 * claim / XR documents under `environments/<env>/infrastructure/`, i.e. those
 * labelled `epicshelter.io/resource`. A local path is read from disk
 * (relative to the backend's working directory); a URL is read with the
 * UrlReaderService.
 */
export class DesiredStateReader {
  static fromConfig(config: Config, deps: { urlReader: UrlReaderService }) {
    return new DesiredStateReader(
      config.getOptionalString('gitops.repository'),
      deps.urlReader,
    );
  }

  constructor(
    private readonly repository: string | undefined,
    private readonly urlReader: UrlReaderService,
  ) {}

  async read(
    env: string,
    selector: LabelSelectorRequirement[] | undefined,
  ): Promise<DesiredState> {
    if (!this.repository) {
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
    const dir = `environments/${env}/infrastructure`;
    const files: { path: string; content: string }[] = [];
    let source: string;
    try {
      if (/^https?:\/\//.test(this.repository)) {
        const base = this.repository.replace(/\/+$/, '');
        source = /\/(tree|blob)\//.test(base)
          ? `${base}/${dir}`
          : `${base}/tree/HEAD/${dir}`;
        const tree = await this.urlReader.readTree(source);
        for (const f of await tree.files()) {
          if (isYaml(f.path)) {
            files.push({
              path: `${dir}/${f.path}`,
              content: (await f.content()).toString('utf8'),
            });
          }
        }
      } else {
        const root = path.resolve(process.cwd(), this.repository);
        source = path.join(root, dir);
        const walk = async (abs: string, rel: string) => {
          for (const e of await fs.readdir(abs, { withFileTypes: true })) {
            if (e.isDirectory()) {
              await walk(path.join(abs, e.name), `${rel}/${e.name}`);
            } else if (isYaml(e.name)) {
              files.push({
                path: `${rel}/${e.name}`,
                content: await fs.readFile(path.join(abs, e.name), 'utf8'),
              });
            }
          }
        };
        await walk(source, dir);
      }
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const notFound =
        code === 'ENOENT' || (e as Error).name === 'NotFoundError';
      return {
        resources: [],
        error: notFound
          ? `The GitOps repository has no ${dir}/ (environment '${env}' not generated yet?)`
          : `Cannot read the GitOps repository: ${(e as Error).message}`,
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
