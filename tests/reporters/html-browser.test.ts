/**
 * conformance.html and matrix.html in real headless Chromium: the filters and the expandable
 * evidence work, hostile response bodies stay text, the page makes no network request and reports
 * no error (a CSP hash that did not match its script would show up here), and a screenshot is kept
 * under reports/test-artifacts/ for a person to look at.
 *
 * Needs Debian's chromium at /usr/bin/chromium; without it every test here skips, saying so.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test, vi, type TestContext } from 'vitest';
import { mergeReports } from '../../reporters/merge.ts';
import { writeReportFiles } from '../../reporters/write.ts';
import { requirements } from '../../specs/requirements.ts';
import { ENV_TOKEN, PROJECT_ROOT, scratchDir } from './helpers.ts';
import { sampleReportBody } from './sample-report.ts';

const CHROMIUM = '/usr/bin/chromium';
const SKIP_REASON = `${CHROMIUM} is not installed: apt-get install chromium (CI must install it before npm test)`;
const ARTIFACTS = join(PROJECT_ROOT, 'reports/test-artifacts');

let context: BrowserContext | undefined;
let userDataDir: string | undefined;
let reportUrl = '';
let matrixUrl = '';

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) return;
  vi.stubEnv('GITHUB_STEP_SUMMARY', '');
  vi.stubEnv('OSI_TOKEN', ENV_TOKEN);
  const statuses = { 'CI-001': 'fail', 'CI-012': 'fail', 'CI-058': 'fail', 'CI-013': 'not-exercisable', 'CI-020': 'error' } as const;
  const a = writeReportFiles(sampleReportBody({ statuses }), scratchDir('html'));
  const b = writeReportFiles(sampleReportBody({ runInfo: { target: 'https://cloud-b.example/v2.1', microversion: '2.70' } }), scratchDir('html-b'));
  const matrix = mergeReports([a.files.json, b.files.json], scratchDir('html-matrix'));
  reportUrl = pathToFileURL(a.files.html).href;
  matrixUrl = pathToFileURL(matrix.files.html).href;
  userDataDir = mkdtempSync(join(tmpdir(), 'reporter-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 60_000);

afterAll(async () => {
  vi.unstubAllEnvs();
  await context?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

interface OpenedPage {
  readonly page: Page;
  /** Requests for anything but the page itself (there must be none). */
  readonly requests: string[];
  /** Console errors and uncaught exceptions (CSP violations land here). */
  readonly errors: string[];
}

async function open(ctx: TestContext, url: string): Promise<OpenedPage> {
  if (!context) ctx.skip(SKIP_REASON);
  const browser = context as BrowserContext;
  const page = await browser.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.route('**/*', (route) => {
    const requested = route.request().url();
    if (requested.split('#')[0] === url.split('#')[0]) return route.continue();
    requests.push(requested);
    return route.abort();
  });
  await page.goto(url);
  return { page, requests, errors };
}

/** What the page functions below touch; the project compiles without the DOM library. */
interface RowLike {
  readonly hidden: boolean;
  readonly id: string;
}
interface WindowLike {
  readonly __pwned?: number;
  scrollTo(x: number, y: number): void;
}

const visibleIds = (page: Page): Promise<string[]> =>
  page.$$eval('tr.req', (rows) => (rows as unknown as RowLike[]).filter((r) => !r.hidden).map((r) => r.id.replace(/^req-/, '')));

describe('conformance.html in Chromium', () => {
  test('shows every requirement, loads nothing, reports no error', async (ctx) => {
    const { page, requests, errors } = await open(ctx, reportUrl);
    expect(await visibleIds(page)).toHaveLength(requirements.length);
    expect(await page.textContent('#shown-count')).toBe(`${requirements.length} of ${requirements.length} requirements shown`);
    expect(await page.textContent('.verdict strong')).toBe('nonconformant');
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('the Content-Security-Policy is in force: even injected markup cannot reach the network', async (ctx) => {
    const { page } = await open(ctx, reportUrl);
    // Written as a string: the project compiles without the DOM library.
    const violated = await page.evaluate(`new Promise((resolve) => {
      document.addEventListener('securitypolicyviolation', (e) => resolve(e.effectiveDirective), { once: true });
      const img = document.createElement('img');
      img.src = 'http://127.0.0.1:9/beacon.png';
      document.body.append(img);
      setTimeout(() => resolve('no violation'), 3000);
    })`);
    expect(violated).toBe('img-src');
    await page.close();
  });

  test('"Failed only" and the level filters hide the other rows', async (ctx) => {
    const { page } = await open(ctx, reportUrl);
    await page.check('#failed-only');
    // CI-058 is a MAY: observed, never a failure (issue 12, item 5).
    expect(await visibleIds(page)).toEqual(['CI-001', 'CI-012']);
    await page.uncheck('input.level-filter[value="MAY"]');
    expect(await visibleIds(page)).toEqual(['CI-001', 'CI-012']);
    await page.uncheck('#failed-only');
    await page.uncheck('input.level-filter[value="MUST"]');
    await page.uncheck('input.level-filter[value="SHOULD"]');
    expect(await page.isVisible('#no-rows')).toBe(true);
    await page.check('input.level-filter[value="MAY"]');
    expect(await visibleIds(page)).toEqual(['CI-058']);
    expect(await page.textContent('#shown-count')).toBe(`1 of ${requirements.length} requirements shown`);
    await page.close();
  });

  test('a failure expands to its evidence: request, response as text, curl with $OS_TOKEN', async (ctx) => {
    const { page, errors } = await open(ctx, reportUrl);
    await page.check('#failed-only');
    expect(await page.isVisible('#detail-CI-001')).toBe(false);
    await page.click('#req-CI-001 button.toggle');
    expect(await page.getAttribute('#req-CI-001 button.toggle', 'aria-expanded')).toBe('true');
    const detail = page.locator('#detail-CI-001');
    expect(await detail.isVisible()).toBe(true);
    const firstExchange = detail.locator('details.exchange').first();
    expect(await firstExchange.locator('pre.request').textContent()).toContain('X-Auth-Token: $OS_TOKEN');
    const response = await firstExchange.locator('pre.response').textContent();
    expect(response).toContain('<script>window.__pwned = 1</script>');
    expect(await firstExchange.locator('pre.curl').textContent()).toContain("-H 'X-Auth-Token: $OS_TOKEN'");
    // The hostile body was shown, not run.
    expect(await page.evaluate(() => (globalThis as unknown as WindowLike).__pwned)).toBeUndefined();
    expect(await detail.locator('img').count()).toBe(0);
    expect(errors).toEqual([]);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.locator('#matrix').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'conformance-html-failure.png') });
    await page.uncheck('#failed-only');
    await page.click('#collapse-all');
    expect(await detail.isVisible()).toBe(false);
    await page.evaluate(() => (globalThis as unknown as WindowLike).scrollTo(0, 0));
    await page.screenshot({ path: join(ARTIFACTS, 'conformance-html-top.png') });
    await page.close();
  });

  test('a link to #CI-013 opens that requirement', async (ctx) => {
    const { page } = await open(ctx, `${reportUrl}#CI-013`);
    expect(await page.isVisible('#detail-CI-013')).toBe(true);
    expect(await page.textContent('#detail-CI-013')).toContain('No free port was given');
    await page.close();
  });
});

describe('matrix.html in Chromium', () => {
  test('one column per report, failed-only across columns', async (ctx) => {
    const { page, requests, errors } = await open(ctx, matrixUrl);
    expect(await page.$$eval('#matrix thead th.cell', (cells) => cells.length)).toBe(2);
    expect(await page.$$eval('#req-CI-001 td.cell', (cells) => cells.map((c) => c.textContent?.trim()))).toEqual(['✗ fail', '✓ pass']);
    await page.check('#failed-only');
    expect(await visibleIds(page)).toEqual(['CI-001', 'CI-012']);
    expect(await page.$$eval('#req-CI-058 td.cell', (cells) => cells.map((c) => c.textContent?.trim()))).toEqual(['◦ observed', '◦ observed']);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'matrix-html.png') });
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
