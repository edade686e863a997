import { SignInPage, SignInProviderConfig } from '@backstage/core-components';
import {
  configApiRef,
  githubAuthApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';
import { SignInPageProps } from '@backstage/core-plugin-api';

const github: SignInProviderConfig = {
  id: 'github-auth-provider',
  title: 'GitHub',
  message: 'Sign in with your GitHub account',
  apiRef: githubAuthApiRef,
};

/**
 * Picks the sign-in providers from `epicshelter.signIn.providers`: guest in
 * the embedded default, GitHub in production.
 */
export function selectProviders(
  names: string[],
): Array<'guest' | SignInProviderConfig> {
  const providers = names.map(name => {
    if (name === 'guest') return 'guest' as const;
    if (name === 'github') return github;
    throw new Error(
      `Unknown sign-in provider '${name}' in epicshelter.signIn.providers; use 'guest' or 'github'`,
    );
  });
  return providers.length > 0 ? providers : ['guest'];
}

function EpicshelterSignInPage(props: SignInPageProps) {
  const config = useApi(configApiRef);
  const names = config.getOptionalStringArray(
    'epicshelter.signIn.providers',
  ) ?? ['guest'];
  return (
    <SignInPage
      {...props}
      title="Epicshelter"
      align="center"
      providers={selectProviders(names)}
    />
  );
}

/** Replaces the default guest-only sign-in page. */
export const signInPage = SignInPageBlueprint.make({
  params: {
    loader: async () => EpicshelterSignInPage,
  },
});
