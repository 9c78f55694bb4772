/**
 * The staff console in a real browser: Debian's Chromium (/usr/bin/chromium, installed by .ci/run) driven by
 * playwright-core, one fresh profile per person, every script error and CSP refusal collected so a test can assert
 * there were none. Nothing downloads a browser.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { TestSystem } from './system';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = path.resolve(__dirname, '..', '..');
export const SCREENSHOTS = path.join(ROOT, 'docs', 'console');
/** How long one step (a click, a wait for text) may take on a loaded 2-core box. */
export const STEP_MS = 20_000;

/** jest alone does not run the pretest build: build the console here if it is missing (unless another is named). */
export function buildConsoleIfMissing(): void {
  if (process.env.OMS_CONSOLE_DIR || fs.existsSync(path.join(ROOT, 'console', 'dist', 'index.html'))) return;
  execFileSync(path.join(ROOT, 'node_modules', '.bin', 'vite'), ['build', 'console', '--logLevel', 'warn'], {
    cwd: ROOT,
  });
}

export interface ConsoleBrowser {
  page: Page;
  /** Script errors and Content-Security-Policy refusals seen so far. */
  problems: string[];
}

/** Opens browsers and closes them all (with their profiles) at the end. */
export class Browsers {
  private readonly contexts: BrowserContext[] = [];
  private readonly profiles: string[] = [];

  async open(viewport = { width: 1366, height: 900 }): Promise<ConsoleBrowser> {
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'oms-console-chromium-'));
    this.profiles.push(profile);
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport,
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
    this.contexts.push(context);
    context.setDefaultTimeout(STEP_MS);
    const page = context.pages()[0] ?? (await context.newPage());
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(String(err)));
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) {
        problems.push(message.text());
      }
    });
    return { page, problems };
  }

  async closeAll(): Promise<void> {
    for (const context of this.contexts) await context.close().catch(() => undefined);
    for (const dir of this.profiles) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Opens the console, switches it to English (unless `chinese`) and signs in with `key`; waits for the menu. */
export async function signIn(page: Page, system: TestSystem, key: string, chinese = false): Promise<void> {
  await page.goto(`${system.apiUrl}/`);
  if (chinese) {
    await page.getByLabel('API 密钥').fill(key);
    await page.getByRole('button', { name: /登\s*录/ }).click();
  } else {
    await page.getByText('English', { exact: true }).click();
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }
  await page.getByRole('menu').waitFor();
}

/** Waits until no "…" (a count or list still loading) is left on the page. */
export async function settled(page: Page): Promise<void> {
  // A function, not a string: the console's CSP refuses eval.
  type Doc = { document: { body: { innerText: string } } };
  await page.waitForFunction(() => !(globalThis as unknown as Doc).document.body.innerText.includes('…'), undefined, {
    timeout: STEP_MS,
  });
}

/** Opens a console path in the signed-in page (a full load, as a bookmark would). */
export async function open(page: Page, system: TestSystem, consolePath: string): Promise<void> {
  await page.goto(`${system.apiUrl}${consolePath}`);
}
