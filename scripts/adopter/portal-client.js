/*
 * HTTP helpers of the adopter checks: the fresh app's backend at BASE_URL,
 * signed in as the stock app's guest user.
 */

/** getJson / postJson against `base`, and the guest user's token. */
function portalClient(base) {
  async function request(method, path, token, body) {
    const headers = token ? { authorization: `Bearer ${token}` } : {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${base}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) {
      throw new Error(
        `${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`,
      );
    }
    return JSON.parse(text);
  }
  return {
    getJson: (path, token) => request('GET', path, token),
    postJson: (path, token, body) => request('POST', path, token, body),
    async guestToken() {
      const res = await fetch(`${base}/api/auth/guest/refresh`, {
        headers: { 'x-requested-with': 'XMLHttpRequest' },
      });
      if (!res.ok) throw new Error(`guest sign-in answered ${res.status}`);
      return (await res.json()).backstageIdentity.token;
    },
  };
}

/** Retries `attempt` every 2 s for `seconds`; the last error names `what`. */
async function eventually(what, attempt, seconds = 90) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) {
        throw new Error(`${what}: ${error.message}`);
      }
      await new Promise(resolve => setTimeout(resolve, 2000));
    }
  }
}

function pass(line) {
  console.log(`[adopter] ok: ${line}`);
}

/** Runs `main`, printing a failure as one line and exiting 1. */
function run(main) {
  main().catch(error => {
    console.error(`[adopter] FAILED: ${error.message}`);
    process.exit(1);
  });
}

module.exports = { portalClient, eventually, pass, run };
