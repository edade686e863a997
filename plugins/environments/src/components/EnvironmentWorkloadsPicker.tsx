import { useApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import FormControl from '@material-ui/core/FormControl';
import FormHelperText from '@material-ui/core/FormHelperText';
import TextField from '@material-ui/core/TextField';
import Autocomplete from '@material-ui/lab/Autocomplete';
import useAsync from 'react-use/esm/useAsync';
import { environmentsApiRef } from '../api';

/** The backend's own sentence for a failed request, else the error's message. */
const reasonOf = (error: Error) =>
  error instanceof ResponseError ? error.body.error.message : error.message;

/** Name of the form field in templates (`ui:field: EnvironmentWorkloadsPicker`). @public */
export const ENVIRONMENT_WORKLOADS_PICKER = 'EnvironmentWorkloadsPicker';

/**
 * Scaffolder form field: the workloads of a new environment, picked from
 * the apps the GitOps repository has (`apps/<name>/base`, listed by the
 * environments backend) instead of typed.
 * @public
 */
export function EnvironmentWorkloadsPicker(
  props: FieldExtensionComponentProps<string[]>,
) {
  const { formData, onChange, schema, required, rawErrors, idSchema } = props;
  const api = useApi(environmentsApiRef);
  const apps = useAsync(() => api.getApps(), [api]);
  const options = apps.value?.items.map(a => a.name) ?? [];
  const selected = formData ?? [];
  const missing = selected.filter(w => apps.value && !options.includes(w));
  let help: string | undefined = schema.description;
  if (apps.error) {
    help = `The apps of the GitOps repository could not be read: ${reasonOf(
      apps.error,
    )}`;
  } else if (apps.value && options.length === 0) {
    help =
      'The GitOps repository has no app yet: add a folder with a base under apps/ to deploy one.';
  } else if (missing.length > 0) {
    help = `Not an app of the GitOps repository: ${missing.join(', ')}.`;
  }
  return (
    <FormControl
      margin="normal"
      fullWidth
      required={required}
      error={(rawErrors?.length ?? 0) > 0 || !!apps.error || missing.length > 0}
    >
      <Autocomplete<string, true>
        id={idSchema?.$id}
        multiple
        options={options}
        value={selected}
        loading={apps.loading}
        filterSelectedOptions
        onChange={(_event, value) => onChange(value)}
        renderInput={params => (
          <TextField
            {...params}
            label={schema.title ?? 'Workloads'}
            variant="outlined"
            required={required && selected.length === 0}
          />
        )}
      />
      {help && (
        <FormHelperText data-testid="workloads-picker-help">
          {help}
        </FormHelperText>
      )}
    </FormControl>
  );
}

/**
 * Field validation: every workload is one of the apps of the GitOps
 * repository, said in a sentence.
 * @public
 */
export async function validateEnvironmentWorkloads(
  value: string[] | undefined,
  validation: { addError(message: string): void },
  context: { apiHolder: { get<T>(ref: { id: string; T: T }): T | undefined } },
): Promise<void> {
  const api = context.apiHolder.get(environmentsApiRef);
  if (!api || !value?.length) return;
  const { items } = await api.getApps();
  const known = new Set(items.map(a => a.name));
  const unknown = value.filter(w => !known.has(w));
  if (unknown.length > 0) {
    validation.addError(
      `${unknown.join(', ')} ${
        unknown.length === 1 ? 'is not an app' : 'are not apps'
      } of the GitOps repository (apps/NAME/base); pick from the list.`,
    );
  }
}
