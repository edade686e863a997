/** The `kubernetes` config of one cluster with a service-account token (a fake's URL). */
export function kubernetesConfig(url: string, token: string, name = 'sandbox') {
  return {
    clusterLocatorMethods: [
      {
        type: 'config',
        clusters: [
          {
            name,
            url,
            authProvider: 'serviceAccount',
            serviceAccountToken: token,
          },
        ],
      },
    ],
  };
}
