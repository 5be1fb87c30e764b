import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleNodeWebhook } from '@/server/webhooks/node-http';

/**
 * The ingest HTTP server: webhook paths plus /healthz, nothing else. close() stops accepting,
 * lets every in-flight request finish (each answers only once its events are durably stored), and
 * closes idle keep-alive sockets so the process can exit.
 */
export interface IngestServer {
  port: number;
  inFlight: () => number;
  close: () => Promise<void>;
}

export async function startIngestServer(port: number, host = '0.0.0.0'): Promise<IngestServer> {
  const active = new Set<http.ServerResponse>();
  let closing = false;
  const server = http.createServer((req, res) => {
    if (closing) res.setHeader('connection', 'close'); // keep-alive clients reconnect elsewhere
    if (req.url === '/healthz') {
      res.writeHead(closing ? 503 : 200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ ok: !closing, inFlight: active.size }));
      return;
    }
    active.add(res);
    res.on('close', () => {
      active.delete(res);
      // A keep-alive socket whose request was already running when close() began is idle now.
      if (closing) server.closeIdleConnections();
    });
    handleNodeWebhook(req, res).catch((err: unknown) => {
      console.error('[ingest] request failed:', err instanceof Error ? err.message : err);
      // Nothing was acknowledged: the provider retries a 503.
      if (!res.headersSent) res.writeHead(503, { 'content-type': 'text/plain' }).end('Temporarily unavailable');
      else res.destroy();
    });
  });
  // Providers and proxies reuse connections; keep them longer than a typical upstream idle timeout.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    inFlight: () => active.size,
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        for (const res of active) if (!res.headersSent) res.setHeader('connection', 'close');
        server.close(() => resolve()); // resolves once the in-flight requests have answered
        server.closeIdleConnections();
      }),
  };
}
