import { appendFileSync, mkdirSync } from 'node:fs';
import type { BrowserContext, Request } from 'playwright-core';

/**
 * Records what a browser context did (requests with start/response/finish times, console, page
 * errors, websockets) so a stalled test leaves evidence behind. Debug aid: E2E_PAGE_LOG=<file>.
 */
export function logContext(context: BrowserContext, label: string) {
  const file = process.env.E2E_PAGE_LOG;
  if (!file) return;
  mkdirSync(file.replace(/\/[^/]*$/, '') || '.', { recursive: true });
  const t0 = Date.now();
  const write = (msg: string) => appendFileSync(file, `${String(Date.now() - t0).padStart(6)} [${label}] ${msg}\n`);
  const id = new WeakMap<Request, number>();
  let next = 0;
  const name = (r: Request) =>
    `#${id.get(r)} ${r.method()} ${r.url().replace(/^https?:\/\/[^/]+/, '')}${r.headers()['rsc'] ? ' (rsc)' : ''}`;
  context.on('request', (r) => {
    id.set(r, ++next);
    write(`req  ${name(r)}`);
  });
  context.on('response', (r) => write(`resp ${name(r.request())} ${r.status()}`));
  context.on('requestfinished', (r) => write(`done ${name(r)}`));
  context.on('requestfailed', (r) => write(`FAIL ${name(r)} ${r.failure()?.errorText}`));
  context.on('console', (m) => write(`console.${m.type()} ${m.text()}`));
  context.on('weberror', (e) => write(`PAGEERROR ${e.error().stack ?? e.error().message}`));
  context.on('page', (p) => {
    p.on('websocket', (ws) => {
      write(`ws open ${ws.url()}`);
      ws.on('close', () => write(`ws close ${ws.url()}`));
    });
    p.on('framenavigated', (f) => f === p.mainFrame() && write(`navigated ${f.url()}`));
  });
}
