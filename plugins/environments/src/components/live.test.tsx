import { act, renderHook, screen, waitFor } from '@testing-library/react';
import type { Entity } from '@backstage/catalog-model';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { SignalApi, signalApiRef } from '@backstage/plugin-signals-react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { ARGOCD_APPLICATIONS_SIGNAL_CHANNEL } from '@epicshelter/plugin-argocd-common';
import { CROSSPLANE_RESOURCES_SIGNAL_CHANNEL } from '@epicshelter/plugin-crossplane-common';
import type { PromotionMatrixResponse } from '@epicshelter/plugin-environments-common';
import { environmentsApiRef } from '../api';
import { EnvironmentsPageContent } from './EnvironmentsPage';
import { useEnvironmentStatus } from './useEnvironmentStatus';

jest.setTimeout(30_000);

/** The signals API, typed; messages are delivered by the test. */
function fakeSignals() {
  const listeners: [string, (message: any) => void][] = [];
  const api: SignalApi = {
    subscribe: (channel, onMessage) => {
      const entry: [string, (message: any) => void] = [channel, onMessage];
      listeners.push(entry);
      return {
        unsubscribe: () => {
          listeners.splice(listeners.indexOf(entry), 1);
        },
      };
    },
  };
  const send = (channel: string, message: Record<string, unknown>) =>
    listeners.filter(([c]) => c === channel).forEach(([, f]) => f(message));
  return { api, send };
}

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'dev',
    namespace: 'default',
    annotations: { 'epicshelter.io/environment': 'dev' },
  },
  spec: { type: 'environment' },
};

const matrix = (columns: string[]): PromotionMatrixResponse => ({
  matrix: {
    columns: columns.map(name => ({ name } as any)),
    rows: [],
  },
  errors: [],
});

describe('live environment pages', () => {
  it('the environment status fetches again on an Argo CD or a Crossplane signal, once per burst', async () => {
    const signals = fakeSignals();
    let calls = 0;
    const api = {
      getStatus: jest.fn(async () => ({ call: ++calls })),
    };
    const { result } = renderHook(() => useEnvironmentStatus(entity), {
      wrapper: ({ children }) => (
        <TestApiProvider
          apis={[
            [environmentsApiRef, api as any],
            [signalApiRef, signals.api],
          ]}
        >
          {children}
        </TestApiProvider>
      ),
    });
    await waitFor(() => expect(result.current.value).toEqual({ call: 1 }));
    act(() => {
      signals.send(ARGOCD_APPLICATIONS_SIGNAL_CHANNEL, {
        instance: 'local',
        revision: 1,
      });
      signals.send(CROSSPLANE_RESOURCES_SIGNAL_CHANNEL, {
        cluster: 'local',
        revision: 1,
      });
    });
    // the previous answer stays while the next loads
    expect(result.current).toMatchObject({
      value: { call: 1 },
      loading: false,
    });
    await waitFor(() => expect(result.current.value).toEqual({ call: 2 }), {
      timeout: 3000,
    });
    await new Promise(r => setTimeout(r, 1200));
    expect(api.getStatus).toHaveBeenCalledTimes(2);
    act(() =>
      signals.send(CROSSPLANE_RESOURCES_SIGNAL_CHANNEL, {
        cluster: 'local',
        revision: 2,
      }),
    );
    await waitFor(() => expect(result.current.value).toEqual({ call: 3 }), {
      timeout: 3000,
    });
  });

  it('the Environments page fetches the matrix again on a signal', async () => {
    const signals = fakeSignals();
    const getMatrix = jest
      .fn()
      .mockResolvedValueOnce(matrix([]))
      .mockResolvedValue(matrix(['dev']));
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [environmentsApiRef, { getMatrix } as any],
          [catalogApiRef, { getEntities: async () => ({ items: [] }) } as any],
          [signalApiRef, signals.api],
        ]}
      >
        <EnvironmentsPageContent />
      </TestApiProvider>,
    );
    expect(await screen.findByText('All environments (0)')).toBeInTheDocument();
    expect(getMatrix).toHaveBeenCalledTimes(1);
    act(() =>
      signals.send(ARGOCD_APPLICATIONS_SIGNAL_CHANNEL, {
        instance: 'local',
        revision: 5,
      }),
    );
    await waitFor(() => expect(getMatrix).toHaveBeenCalledTimes(2), {
      timeout: 3000,
    });
  });
});
