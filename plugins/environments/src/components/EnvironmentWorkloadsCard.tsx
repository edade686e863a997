import { Table, TableColumn } from '@backstage/core-components';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import {
  getEnvironmentName,
  getEnvironmentSpec,
} from '@epicshelter/plugin-environments-common';
import { appBaseDir, workloadsDir } from '@epicshelter/plugin-gitops-common';

/** One workload of the environment as its overlay deploys it. */
export interface WorkloadRow {
  name: string;
  imageTag?: string;
  replicas?: number;
  /** The app base the overlay builds on (`apps/<name>/base`). */
  base: string;
  /** The overlay's patch of the workload (replicas, credentials). */
  patch: string;
}

/** The rows of the card: each workload with the paths of its base and its patch. */
export function workloadRows(
  environment: string,
  workloads: Array<{ name: string; replicas?: number; imageTag?: string }>,
): WorkloadRow[] {
  return workloads.map(w => ({
    name: w.name,
    ...(w.imageTag !== undefined ? { imageTag: w.imageTag } : {}),
    ...(w.replicas !== undefined ? { replicas: w.replicas } : {}),
    base: appBaseDir(w.name),
    patch: `${workloadsDir(environment)}/patches/${w.name}.yaml`,
  }));
}

const columns: TableColumn<WorkloadRow>[] = [
  {
    title: 'Workload',
    render: w => (
      <EntityRefLink
        entityRef={{ kind: 'component', namespace: 'default', name: w.name }}
      />
    ),
  },
  { title: 'Image tag', render: w => w.imageTag ?? 'as in the app base' },
  {
    title: 'Replicas',
    render: w =>
      w.replicas === undefined ? "the target's default" : String(w.replicas),
  },
  { title: 'App base', render: w => <code>{w.base}</code> },
  { title: 'Overlay patch', render: w => <code>{w.patch}</code> },
];

/**
 * The workloads an environment deploys, as its GitOps overlay declares
 * them: image tag, replicas, and the repository paths of each workload's
 * app base and of the overlay's patch.
 * @public
 */
export function EnvironmentWorkloadsCard() {
  const { entity } = useEntity();
  const spec = getEnvironmentSpec(entity);
  const environment = getEnvironmentName(entity);
  const overlay = `${workloadsDir(environment)}/kustomization.yaml`;
  return (
    <div data-testid="environment-workloads">
      <Table<WorkloadRow>
        title="Workloads"
        subtitle={`What the overlay ${overlay} deploys`}
        options={{ paging: false, search: false }}
        columns={columns}
        data={workloadRows(environment, spec?.workloads ?? [])}
        emptyContent={
          <div style={{ padding: 16 }}>
            {spec
              ? 'This environment deploys no workloads.'
              : 'This environment was not read from the GitOps repository, so its workloads are unknown.'}
          </div>
        }
      />
    </div>
  );
}
