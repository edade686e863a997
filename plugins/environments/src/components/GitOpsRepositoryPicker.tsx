import { useApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import FormControl from '@material-ui/core/FormControl';
import FormHelperText from '@material-ui/core/FormHelperText';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import useAsync from 'react-use/esm/useAsync';
import type { GitOpsLocalRepository } from '@epicshelter/plugin-environments-common';
import { environmentsApiRef } from '../api';

/** Name of the form field in templates (`ui:field: GitOpsRepositoryPicker`). @public */
export const GITOPS_REPOSITORY_PICKER = 'GitOpsRepositoryPicker';

const reasonOf = (error: Error) =>
  error instanceof ResponseError ? error.body.error.message : error.message;

/** What the pick list shows for one repository. */
export function repositoryLabel(repository: GitOpsLocalRepository): string {
  return repository.configured
    ? `${repository.title} (the portal's GitOps repository)`
    : repository.title;
}

/**
 * Scaffolder form field: a local GitOps repository picked from those the
 * portal may write to (gitops.repository and gitops.allowedRepositories, as
 * the environments backend lists them) instead of a typed path. The value
 * is the repository's configuration key (no server path reaches the
 * browser), which the publishing action resolves and checks again.
 * @public
 */
export function GitOpsRepositoryPicker(
  props: FieldExtensionComponentProps<string>,
) {
  const { formData, onChange, schema, required, rawErrors, idSchema } = props;
  const api = useApi(environmentsApiRef);
  const repositories = useAsync(() => api.getLocalRepositories(), [api]);
  const items = repositories.value?.items ?? [];
  const id = idSchema?.$id ?? 'gitops-repository-picker';
  let help: string | undefined = schema.description;
  if (repositories.error) {
    help = `The repositories the portal may write to could not be read: ${reasonOf(
      repositories.error,
    )}`;
  } else if (repositories.value && items.length === 0) {
    help =
      'The portal may write to no local repository: a platform admin adds one to gitops.allowedRepositories in app-config.';
  }
  return (
    <FormControl
      margin="normal"
      variant="outlined"
      fullWidth
      required={required}
      error={(rawErrors?.length ?? 0) > 0 || !!repositories.error}
    >
      <InputLabel id={`${id}-label`}>
        {schema.title ?? 'Local repository'}
      </InputLabel>
      <Select
        labelId={`${id}-label`}
        id={id}
        label={schema.title ?? 'Local repository'}
        value={items.some(r => r.ref === formData) ? formData : ''}
        disabled={repositories.loading || items.length === 0}
        onChange={event => onChange(String(event.target.value))}
        data-testid="gitops-repository-picker"
      >
        {items.map(repository => (
          <MenuItem key={repository.ref} value={repository.ref}>
            {repositoryLabel(repository)}
          </MenuItem>
        ))}
      </Select>
      {help && (
        <FormHelperText data-testid="gitops-repository-picker-help">
          {help}
        </FormHelperText>
      )}
    </FormControl>
  );
}

/**
 * Field validation: the value is one of the repositories the portal lists,
 * said in a sentence.
 * @public
 */
export async function validateGitOpsRepository(
  value: string | undefined,
  validation: { addError(message: string): void },
  context: { apiHolder: { get<T>(ref: { id: string; T: T }): T | undefined } },
): Promise<void> {
  const api = context.apiHolder.get(environmentsApiRef);
  if (!api || !value) return;
  const { items } = await api.getLocalRepositories();
  if (!items.some(r => r.ref === value)) {
    validation.addError(
      'is not a repository the portal may write to; pick one from the list.',
    );
  }
}
