// GitHub's OpenAPI description and the validator of fake GitHub answers live
// in the private test-only package, shared with gitops-node's tests.
export {
  githubOpenApi,
  validateGithubResponse,
} from '@epicshelter/gitops-test-utils';
