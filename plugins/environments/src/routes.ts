import { createExternalRouteRef } from '@backstage/frontend-plugin-api';
import { createExternalRouteRef as createLegacyExternalRouteRef } from '@backstage/core-plugin-api';

/**
 * The form of a software template (the scaffolder's template page,
 * `scaffolder.selectedTemplate` by default), which the "Create environment"
 * button opens.
 * @alpha
 */
export const scaffolderTemplateRouteRef = createExternalRouteRef({
  params: ['namespace', 'templateName'],
  defaultTarget: 'scaffolder.selectedTemplate',
});

/**
 * The `scaffolderTemplate` external route for legacy apps: bind it to the
 * scaffolder's `selectedTemplateRouteRef` in `bindRoutes`.
 * @public
 */
export const legacyScaffolderTemplateRouteRef = createLegacyExternalRouteRef({
  id: 'environments:scaffolder-template',
  params: ['namespace', 'templateName'],
  optional: true,
});

/** The template the "Create environment" button opens (templates/create-environment). */
export const CREATE_ENVIRONMENT_TEMPLATE = {
  namespace: 'default',
  templateName: 'create-environment',
};
