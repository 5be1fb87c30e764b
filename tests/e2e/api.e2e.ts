import http from 'node:http';
import { describe, expect, inject, it } from 'vitest';

/** The HTTP surface of the built app, addressed by Host header like a browser on each host. */
function request(host: string, path: string, init: { method?: string; body?: string } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: inject('e2e').webPort, path, method: init.method ?? 'GET', headers: { host, 'content-type': 'application/json' } },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

describe('HTTP API of the built app', () => {
  it('serves tRPC on a tenant host, with the organisation the host resolves to', async () => {
    const res = await request('demo.localhost', '/api/trpc/org.current');
    expect(res.status).toBe(200);
    const data = JSON.parse(res.body) as { result: { data: { json: { slug: string; branding: { appName: string } } } } };
    expect(data.result.data.json.slug).toBe('demo');
    expect(data.result.data.json.branding.appName).toBeTruthy();
  });

  it('ignores a client-sent tenant header', async () => {
    const res = await new Promise<number>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port: inject('e2e').webPort, path: '/api/trpc/org.current', headers: { host: 'nobody-e2e.localhost', 'x-tenant-slug': 'demo', 'x-tenant-host': 'demo.localhost' } }, (r) => {
          r.resume();
          resolve(r.statusCode ?? 0);
        })
        .on('error', reject);
    });
    expect(res).toBe(404);
  });

  it('answers 404 for API calls on a host that is nobody’s workspace', async () => {
    expect((await request('localhost', '/api/trpc/org.current')).status).toBe(404);
  });

  it('refuses a realtime token without a session (401) and on an unknown workspace (404)', async () => {
    expect((await request('demo.localhost', '/api/realtime/token', { method: 'POST' })).status).toBe(401);
    expect((await request('nobody-e2e.localhost', '/api/realtime/token', { method: 'POST' })).status).toBe(404);
  });

  it('answers health.ping over tRPC on any host', async () => {
    expect((await request('admin.localhost', '/api/trpc/health.ping')).status).toBe(200);
  });
});
