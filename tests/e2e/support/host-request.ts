import http from 'node:http';
import { inject } from 'vitest';

/**
 * A request to the built app addressed by Host header, like a browser on that host (Node cannot
 * resolve *.localhost, Chromium can).
 */
export function hostRequest(
  host: string,
  path: string,
  init: { method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: inject('e2e').webPort,
        path,
        method: init.method ?? 'GET',
        headers: { host, 'content-type': 'application/json', ...init.headers },
      },
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
