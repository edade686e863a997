import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import {
  ENVIRONMENT_WORKLOADS_PICKER,
  EnvironmentWorkloadsPicker,
  validateEnvironmentWorkloads,
} from './components/EnvironmentWorkloadsPicker';
import {
  GITOPS_REPOSITORY_PICKER,
  GitOpsRepositoryPicker,
  validateGitOpsRepository,
} from './components/GitOpsRepositoryPicker';

/** The workloads picker as a new-frontend-system form field. */
export const environmentWorkloadsPickerFormField = createFormField({
  name: ENVIRONMENT_WORKLOADS_PICKER,
  component: EnvironmentWorkloadsPicker,
  validation: validateEnvironmentWorkloads,
});

/** The local GitOps repository picker as a new-frontend-system form field. */
export const gitOpsRepositoryPickerFormField = createFormField({
  name: GITOPS_REPOSITORY_PICKER,
  component: GitOpsRepositoryPicker,
  validation: validateGitOpsRepository,
});
