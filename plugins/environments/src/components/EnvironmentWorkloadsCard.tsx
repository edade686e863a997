import {
  Progress,
  Table,
  TableColumn,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import {
  EnvironmentWorkload,
  getEnvironmentName,
  getEnvironmentSpec,
} from '@epicshelter/plugin-environments-common';
import { appBaseDir, workloadsDir } from '@epicshelter/plugin-gitops-common';
import { environmentsApiRef } from '../api';
import { shortSha } from './status';
import { useLiveAsync } from '@epicshelter/plugin-crossplane-react';
import { ENVIRONMENT_LIVE_OPTIONS } from './live';

/** One row of the card: a workload as the overlay builds it, or as the catalog declares it. */
export interface WorkloadRow {
  name: string;
  /** The images after the overlay, or the declared image tag. */
  image?: string;
  replicas?: number;
  /** The app base the overlay builds on (`apps/<name>/base`). */
  base?: string;
  /** The overlay's patches of the workload. */
  patches: string[];
}

/** Rows from what the environments backend built from the overlay. */
export function builtWorkloadRows(items: EnvironmentWorkload[]): WorkloadRow[] {
  return items.map(w => ({
    name: w.name,
    ...(w.images.length > 0 ? { image: w.images.join(', ') } : {}),
    ...(w.replicas !== undefined ? { replicas: w.replicas } : {}),
    ...(w.base ? { base: w.base } : {}),
    patches: w.patches,
  }));
}

/**
 * Rows from the catalog entity when the overlay cannot be read: the declared
 * overrides, and the paths the generator writes them to.
 */
export function workloadRows(
  environment: string,
  workloads: Array<{ name: string; replicas?: number; imageTag?: string }>,
): WorkloadRow[] {
  return workloads.map(w => ({
    name: w.name,
    ...(w.imageTag !== undefined ? { image: w.imageTag } : {}),
    ...(w.replicas !== undefined ? { replicas: w.replicas } : {}),
    base: appBaseDir(w.name),
    patches: [`${workloadsDir(environment)}/patches/${w.name}.yaml`],
  }));
}

const reasonOf = (error: Error) =>
  error instanceof ResponseError ? error.body.error.message : error.message;

function columnsFor(imageTitle: string): TableColumn<WorkloadRow>[] {
  return [
    {
      title: 'Workload',
      render: w => (
        <EntityRefLink
          entityRef={{ kind: 'component', namespace: 'default', name: w.name }}
        />
      ),
    },
    { title: imageTitle, render: w => w.image ?? 'as in the app base' },
    {
      title: 'Replicas',
      render: w => (w.replicas === undefined ? '—' : String(w.replicas)),
    },
    { title: 'App base', render: w => (w.base ? <code>{w.base}</code> : '—') },
    {
      title: 'Overlay patches',
      render: w =>
        w.patches.length === 0
          ? '—'
          : w.patches.map(p => (
              <div key={p}>
                <code>{p}</code>
              </div>
            )),
    },
  ];
}

function WorkloadsTable(props: {
  subtitle: string;
  rows: WorkloadRow[];
  empty: string;
  imageTitle: string;
}) {
  return (
    <Table<WorkloadRow>
      title="Workloads"
      subtitle={props.subtitle}
      options={{ paging: false, search: false }}
      columns={columnsFor(props.imageTitle)}
      data={props.rows}
      emptyContent={<div style={{ padding: 16 }}>{props.empty}</div>}
    />
  );
}

/**
 * The workloads as the environment's catalog entity declares them (image
 * tag and replicas overrides), with the paths the generator writes.
 * @public
 */
export function DeclaredWorkloads(props: { entity: Entity }) {
  const spec = getEnvironmentSpec(props.entity);
  return (
    <WorkloadsTable
      imageTitle="Image tag"
      subtitle="As the catalog declares them"
      rows={workloadRows(
        getEnvironmentName(props.entity),
        spec?.workloads ?? [],
      )}
      empty={
        spec
          ? 'This environment deploys no workloads.'
          : 'This environment was not read from the GitOps repository, so its workloads are unknown.'
      }
    />
  );
}

/**
 * The workloads an environment deploys, as its GitOps overlay builds them
 * at the head of the branch (read by the environments backend): image,
 * replicas, and the repository paths of each workload's app base and of the
 * overlay's patches. When the overlay cannot be read, what the catalog
 * declares, with the reason.
 * @public
 */
export function EnvironmentWorkloadsCard() {
  const { entity } = useEntity();
  const api = useApi(environmentsApiRef);
  const environment = getEnvironmentName(entity);
  const built = useLiveAsync(
    () => api.getWorkloads(environment),
    [api, environment],
    ENVIRONMENT_LIVE_OPTIONS,
  );
  let body;
  if (built.loading) {
    body = <Progress />;
  } else if (built.value) {
    const { overlay, commit, items, problems } = built.value;
    body = (
      <>
        {problems.length > 0 && (
          <WarningPanel
            title="The overlay does not build completely"
            message={problems.join(' ')}
          />
        )}
        <WorkloadsTable
          imageTitle="Image"
          subtitle={`What ${overlay} deploys at ${shortSha(commit)}`}
          rows={builtWorkloadRows(items)}
          empty="This environment's overlay deploys no workloads."
        />
      </>
    );
  } else {
    body = (
      <>
        <WarningPanel
          title="The workloads overlay could not be read"
          message={`${
            built.error ? reasonOf(built.error) : 'No answer.'
          } Below: what the catalog declares.`}
        />
        <DeclaredWorkloads entity={entity} />
      </>
    );
  }
  return <div data-testid="environment-workloads">{body}</div>;
}
