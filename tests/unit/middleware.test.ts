import { NextRequest } from 'next/server';
import { describe, expect, it } from 'vitest';
import { middleware } from '@/middleware';

/**
 * middleware.ts: host normalisation, stripping of client-sent tenant headers, and routing by host
 * kind. Next encodes the forwarded request headers and rewrites in response headers; we read those.
 */
function run(host: string, path = '/', headers: Record<string, string> = {}) {
  const req = new NextRequest(`http://${host}${path}`, { headers: { host, ...headers } });
  const res = middleware(req);
  return {
    status: res.status,
    rewrite: res.headers.get('x-middleware-rewrite'),
    forwarded: (name: string) => res.headers.get(`x-middleware-request-${name}`),
    overridden: res.headers.get('x-middleware-override-headers')?.split(',') ?? [],
  };
}

describe('middleware', () => {
  it('passes a tenant subdomain through, telling the app its kind and slug', () => {
    const r = run('Demo.LOCALHOST:3000', '/');
    expect(r.rewrite).toBeNull();
    expect(r.forwarded('x-tenant-host')).toBe('demo.localhost');
    expect(r.forwarded('x-tenant-kind')).toBe('subdomain');
    expect(r.forwarded('x-tenant-slug')).toBe('demo');
  });

  it('drops tenant headers sent by the client', () => {
    const r = run('demo.localhost', '/', { 'x-tenant-slug': 'victim', 'x-tenant-db': 'org_victim_db' });
    expect(r.forwarded('x-tenant-slug')).toBe('demo');
    expect(r.overridden).not.toContain('x-tenant-db');
    expect(r.forwarded('x-tenant-db')).toBeNull();
  });

  it('routes the platform host to the operator pages', () => {
    expect(run('admin.localhost:3000', '/').rewrite).toMatch(/\/platform$/);
    expect(run('admin.localhost:3000', '/organizations').rewrite).toMatch(/\/platform\/organizations$/);
    expect(run('admin.localhost:3000', '/api/trpc/health.ping').rewrite).toBeNull();
  });

  it('keeps tenant hosts away from the operator pages', () => {
    expect(run('demo.localhost', '/platform').rewrite).toMatch(/\/not-found$/);
  });

  it('answers unknown hosts with the no-such-workspace page, and 404 JSON for APIs', () => {
    expect(run('localhost:3000', '/').rewrite).toMatch(/\/unknown-workspace$/);
    expect(run('127.0.0.1:3000', '/inbox').rewrite).toMatch(/\/unknown-workspace$/);
    expect(run('a.b.localhost', '/').rewrite).toMatch(/\/unknown-workspace$/);
    expect(run('localhost', '/api/trpc/org.current').status).toBe(404);
  });

  it('serves health on every host', () => {
    for (const host of ['localhost', '10.0.0.7', 'demo.localhost', 'admin.localhost']) {
      expect(run(host, '/api/health').rewrite).toBeNull();
      expect(run(host, '/health').rewrite).toBeNull();
    }
  });

  it('ignores X-Forwarded-Host unless the proxy is trusted', () => {
    expect(run('localhost', '/', { 'x-forwarded-host': 'demo.localhost' }).rewrite).toMatch(/\/unknown-workspace$/);
  });
});
