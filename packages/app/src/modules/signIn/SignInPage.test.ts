import { selectProviders } from './SignInPage';

describe('selectProviders', () => {
  it('offers guest when nothing is configured', () => {
    expect(selectProviders([])).toEqual(['guest']);
  });

  it('maps github to the GitHub auth provider', () => {
    const [provider] = selectProviders(['github']);
    expect(provider).toMatchObject({ id: 'github-auth-provider' });
  });

  it('rejects an unknown provider by name', () => {
    expect(() => selectProviders(['okta'])).toThrow(
      /Unknown sign-in provider 'okta'/,
    );
  });
});
