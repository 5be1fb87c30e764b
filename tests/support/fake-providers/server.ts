import http from 'node:http';

/**
 * A tiny HTTP server base for the fake provider APIs: records every request, lets a test script
 * the next answers (e.g. 429 then 200), and refuses requests that the real API would refuse (the
 * subclasses' `check`), answering with the real API's error shape and recording the problem.
 */
export interface Recorded {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

export interface Scripted {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface FakeServer {
  url: string;
  requests: Recorded[];
  /** Problems found in requests (wrong path, auth, body shape): a test asserts this stays empty. */
  problems: string[];
  /** Answers to use, in order, before falling back to the default success. */
  script: (...answers: Scripted[]) => void;
  close: () => Promise<void>;
}

export async function startFakeServer(
  check: (req: Recorded) => string | null,
  success: (req: Recorded, n: number) => Scripted,
  refuse: (problem: string) => Scripted,
  listenPort = 0, // fixed when another process (the e2e worker) was told the URL before the fake started
): Promise<FakeServer> {
  const requests: Recorded[] = [];
  const problems: string[] = [];
  const queue: Scripted[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rec: Recorded = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      };
      requests.push(rec);
      const problem = check(rec);
      if (problem) problems.push(problem);
      const answer = problem ? refuse(problem) : (queue.shift() ?? success(rec, requests.length));
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers }).end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(listenPort, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    problems,
    script: (...answers) => queue.push(...answers),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
