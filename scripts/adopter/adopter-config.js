#!/usr/bin/env node
/*
 * The app-config an adopter writes, with the keys the plugins' READMEs
 * document, pointed at the repository's fakes:
 * node scripts/adopter/adopter-config.js ARGOCD_URL KUBERNETES_URL GITOPS_REPOSITORY
 * prints it; adopterConfigLines() gives its lines for the adopter line count.
 */
function adopterConfig({ argocdUrl, kubernetesUrl, gitopsRepository }) {
  return `argocd:
  sandbox: true
  username: admin
  password: password
  instances:
    - name: local
      url: ${argocdUrl}/local
    - name: cloud
      url: ${argocdUrl}/cloud
kubernetes:
  serviceLocatorMethod:
    type: multiTenant
  clusterLocatorMethods:
    - type: config
      clusters:
        - name: sandbox
          url: ${kubernetesUrl}
          authProvider: serviceAccount
          serviceAccountToken: sandbox
          skipTLSVerify: true
          skipMetricsLookup: true
crossplane:
  sandbox: true
gitops:
  repository: ${gitopsRepository}
  defaultBranch: main
`;
}

function adopterConfigLines() {
  return adopterConfig({
    argocdUrl: 'http://argocd',
    kubernetesUrl: 'http://kubernetes',
    gitopsRepository: 'gitops',
  })
    .split('\n')
    .filter(line => line.trim() !== '');
}

module.exports = { adopterConfig, adopterConfigLines };

if (require.main === module) {
  const [argocdUrl, kubernetesUrl, gitopsRepository] = process.argv.slice(2);
  process.stdout.write(
    adopterConfig({ argocdUrl, kubernetesUrl, gitopsRepository }),
  );
}
