import { EmptyState } from '@backstage/core-components';
import { Entity } from '@backstage/catalog-model';
import { MissingAnnotationEmptyState } from '@backstage/plugin-catalog-react';
import {
  ARGOCD_ANNOTATION_APP_NAME,
  ARGOCD_ANNOTATION_APP_SELECTOR,
  EntityApplicationsResponse,
  getArgoCdLocator,
} from '@epicshelter/plugin-argocd-common';

/** Shown when the entity has no Argo CD annotation. */
export const MissingArgoCdAnnotation = () => (
  <MissingAnnotationEmptyState
    annotation={[ARGOCD_ANNOTATION_APP_SELECTOR, ARGOCD_ANNOTATION_APP_NAME]}
  />
);

/** Shown when the annotations select no application on any instance that answered. */
export const NoApplications = ({
  entity,
  data,
}: {
  entity: Entity;
  data: EntityApplicationsResponse;
}) => {
  const locator = getArgoCdLocator(entity);
  let what = `project "${locator?.projectName}"`;
  if (locator?.appSelector) {
    what = `label selector "${locator.appSelector}"`;
  } else if (locator?.appName) {
    what = `application name "${locator.appName}"`;
  }
  const asked = data.instances
    .filter(i => i.status === 'ok')
    .map(i => `"${i.name}"`)
    .join(', ');
  return (
    <EmptyState
      missing="data"
      title="No Argo CD application found"
      description={`No application matches the ${what} on the Argo CD instance(s) ${
        asked || '(none answered)'
      }. Check the argocd/* annotations of this entity, or whether the application was created yet.`}
    />
  );
};
