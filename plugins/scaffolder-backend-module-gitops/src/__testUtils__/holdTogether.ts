import { http } from 'msw';
import type { SetupServer } from 'msw/node';

/**
 * Holds the first two `method` requests to URLs matching `url` until both
 * have arrived, then lets them through together to the handlers behind
 * (the fake host): two publishers reach the same write at the same moment.
 */
export function holdTogether(server: SetupServer, method: string, url: string) {
  let arrived = 0;
  let release: () => void = () => {};
  const both = new Promise<void>(resolve => {
    release = resolve;
  });
  server.use(
    http.all(url, async ({ request }) => {
      if (request.method !== method || arrived >= 2) return undefined;
      arrived += 1;
      if (arrived === 2) release();
      await both;
      return undefined; // on to the fake
    }),
  );
}
