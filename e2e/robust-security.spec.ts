// Security and hygiene of the BUILT site (vite preview, as a static host serves it):
//  - index.html carries a Content-Security-Policy that forbids inline and eval'd script and
//    every origin but the page's own, and the browser really enforces it;
//  - the app works under it (no violation while training, on the CPU and WebGPU backends);
//  - no request ever leaves the page's origin;
//  - a link full of markup shows notices as text and injects nothing.
import { expect, type Page, test } from '@playwright/test';
import { recordFigures } from '../test-support/figures';

interface Watch {
  requests: string[];
  violations: string[];
  errors: string[];
}

/** Record every request, CSP violation (console and event) and uncaught error of the page. */
async function watch(page: Page): Promise<Watch> {
  const w: Watch = { requests: [], violations: [], errors: [] };
  page.on('request', (r) => w.requests.push(r.url()));
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) w.violations.push(m.text());
  });
  page.on('pageerror', (e) => w.errors.push(e.message));
  await page.exposeFunction('__cspViolation', (v: string) => w.violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __cspViolation: (v: string) => void }).__cspViolation(
        `${e.violatedDirective} blocked ${e.blockedURI}`,
      );
    });
  });
  return w;
}

async function openApp(page: Page, hash = ''): Promise<void> {
  await page.goto(`./${hash}`);
  await expect(page.getByRole('heading', { name: 'Descent', level: 1 })).toBeVisible();
  await expect(page.getByTestId('play')).toBeEnabled({ timeout: 60_000 });
}

/** Origins other than the page's own among the requests (data: and blob: stay on the page). */
function foreign(requests: string[], origin: string): string[] {
  return requests.filter((u) => !u.startsWith('data:') && !u.startsWith('blob:') && new URL(u).origin !== origin);
}

test('the built index.html has a strict Content-Security-Policy, and the browser enforces it', async ({ page }) => {
  const w = await watch(page);
  await openApp(page);
  const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(policy).not.toBeNull();
  const directives = new Map(
    policy!
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([k, ...v]) => [k, v] as const),
  );
  expect(directives.get('default-src')).toEqual(["'self'"]);
  expect(directives.get('script-src')).toEqual(["'self'"]);
  expect(directives.get('connect-src')).toEqual(["'self'"]);
  expect(directives.get('object-src')).toEqual(["'none'"]);
  // Enforced: eval and an injected inline script are refused by the browser itself.
  // Written as source text: the probe itself must not be an eval in our code base. Code run
  // through DevTools is exempt from the policy, so the probes make the PAGE compile strings later:
  // a string timer, and an event handler attribute.
  await page.evaluate(`(() => {
    setTimeout('window.__timerRan = true', 0);
    const s = document.createElement('script');
    s.textContent = 'window.__inlineRan = true';
    document.body.append(s);
    const b = document.createElement('button');
    b.setAttribute('onclick', 'window.__handlerRan = true');
    document.body.append(b);
    b.click();
  })()`);
  await page.waitForTimeout(200);
  const attempts = await page.evaluate(`({
    timer: window.__timerRan ?? false,
    inline: window.__inlineRan ?? false,
    handler: window.__handlerRan ?? false,
  })`);
  expect(attempts).toEqual({ timer: false, inline: false, handler: false });
  // Those two refusals are the only violations so far.
  expect(w.violations.filter((v) => !/eval|inline|script-src/i.test(v))).toEqual([]);
});

test('the app trains under the policy on the CPU and on WebGPU, with no request to another origin', async ({
  page,
}) => {
  const w = await watch(page);
  const whileTraining: string[] = [];
  for (const backend of ['cpu', 'webgpu']) {
    await page.goto(`./?backend=${backend}#data=xor&v=1`);
    await expect(page.getByTestId('play')).toBeEnabled({ timeout: 60_000 });
    await page.waitForLoadState('networkidle');
    await page.evaluate(() => document.fonts.ready.then(() => 0));
    // Loaded: from here on, training makes no request at all. A font file is the one exception: the
    // browser fetches a (same-origin, precached) KaTeX face the first time text set in it is laid
    // out, which on a loaded machine can fall after Play; that is drawing, not training.
    const loadedAt = w.requests.length;
    await page.getByTestId('play').click();
    await expect
      .poll(async () => Number(await page.getByTestId('step').textContent()), { timeout: 60_000 })
      .toBeGreaterThan(30);
    await page.getByTestId('play').click();
    whileTraining.push(...w.requests.slice(loadedAt).filter((u) => !/\.(woff2?|ttf)(\?|$)/.test(u)));
  }
  // The digits are fetched from the site itself (connect-src 'self').
  await page.goto('./?backend=cpu#data=digits&n=500&v=1');
  await expect(page.getByTestId('play')).toBeEnabled({ timeout: 90_000 });
  const pageOrigin = new URL(page.url()).origin;
  const outside = foreign(w.requests, pageOrigin);
  recordFigures('security-requests', {
    requests: w.requests.length,
    foreignRequests: outside.length,
    requestsWhileTraining: whileTraining.length,
    cspViolations: w.violations.length,
    pageErrors: w.errors.length,
    origin: pageOrigin,
  });
  expect(outside).toEqual([]);
  expect(whileTraining).toEqual([]);
  expect(w.violations).toEqual([]);
  expect(w.errors).toEqual([]);
});

test('a link full of markup and bad values shows notices as text and injects nothing', async ({ page }) => {
  const w = await watch(page);
  const hash =
    '#data=%3Cimg%20src%3Dx%20onerror%3D%22window.__pwned%3D1%22%3E&lr=NaN&batch=-3' +
    '&hidden=1000000000:relu,8:%3Cscript%3Ewindow.__pwned%3D2%3C%2Fscript%3E&hide=%3Cb%3E&lesson=%3Ciframe%3E&v=1';
  await openApp(page, hash);
  const notices = page.getByTestId('notices');
  await expect(notices).toBeVisible();
  const text = (await notices.textContent()) ?? '';
  for (const field of ['data.name', 'optimizer.lr', 'batchSize', 'model.hidden[0].units', 'model.hidden[1].activation'])
    expect(text).toContain(field);
  expect(text).toContain('<img src=x'); // shown as text...
  const injected = await page.evaluate(() => ({
    pwned: (window as unknown as { __pwned?: number }).__pwned ?? null,
    imgs: document.querySelectorAll('img[src="x"]').length,
    iframes: document.querySelectorAll('iframe').length,
    scriptsInNotices: document.querySelectorAll('[data-testid="notices"] script').length,
  }));
  expect(injected).toEqual({ pwned: null, imgs: 0, iframes: 0, scriptsInNotices: 0 }); // ...never as markup
  // And the page is usable: the defaults it fell back to train.
  await page.getByTestId('play').click();
  await expect
    .poll(async () => Number(await page.getByTestId('step').textContent()), { timeout: 60_000 })
    .toBeGreaterThan(10);
  expect(w.errors).toEqual([]);
  expect(w.violations).toEqual([]);
});
