import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import {
  ENVIRONMENT_WORKLOADS_PICKER,
  EnvironmentWorkloadsPicker,
  validateEnvironmentWorkloads,
} from './components/EnvironmentWorkloadsPicker';

/** The workloads picker as a new-frontend-system form field. */
export const environmentWorkloadsPickerFormField = createFormField({
  name: ENVIRONMENT_WORKLOADS_PICKER,
  component: EnvironmentWorkloadsPicker,
  validation: validateEnvironmentWorkloads,
});
