import type { Request } from 'express';
import {
  BackstageCredentials,
  BackstagePrincipalTypes,
  HttpAuthService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';

const SERVICE_TOKEN = /^Bearer\s+mock-service-token:/i;

/**
 * The mock HTTP auth service, except that a token one plugin got on behalf
 * of a user authenticates as that user *with an actor*, as real
 * on-behalf-of tokens do. The permission backend refuses resource
 * permissions without a resourceRef from a user without an actor (a browser
 * calling it directly), so the catalog's read checks fail without this when
 * a plugin reads the catalog with a user's credentials.
 */
class OnBehalfOfHttpAuthService implements HttpAuthService {
  constructor(private readonly inner: HttpAuthService) {}

  async credentials<TAllowed extends keyof BackstagePrincipalTypes = 'unknown'>(
    req: Request<any, any, any, any, any>,
    options?: { allow?: Array<TAllowed>; allowLimitedAccess?: boolean },
  ): Promise<BackstageCredentials<BackstagePrincipalTypes[TAllowed]>> {
    const credentials = await this.inner.credentials(req, options);
    const principal = credentials.principal as {
      type?: string;
      userEntityRef?: string;
    };
    if (
      principal.type === 'user' &&
      SERVICE_TOKEN.test(String(req.headers.authorization ?? ''))
    ) {
      return mockCredentials.user(principal.userEntityRef, {
        actor: { subject: 'plugin:on-behalf-of' },
      }) as unknown as BackstageCredentials<BackstagePrincipalTypes[TAllowed]>;
    }
    return credentials;
  }

  issueUserCookie(
    res: Parameters<HttpAuthService['issueUserCookie']>[0],
    options?: Parameters<HttpAuthService['issueUserCookie']>[1],
  ) {
    return this.inner.issueUserCookie(res, options);
  }
}

/** HTTP auth service factory for tests that cross plugins on behalf of users. */
export const onBehalfOfHttpAuthServiceFactory = createServiceFactory({
  service: coreServices.httpAuth,
  deps: { plugin: coreServices.pluginMetadata },
  factory: ({ plugin }) =>
    new OnBehalfOfHttpAuthService(
      mockServices.httpAuth({ pluginId: plugin.getId() }),
    ),
});
