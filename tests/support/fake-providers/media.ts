import http from 'node:http';

/**
 * Fake provider media endpoints, checked like the real ones:
 * - Graph API `GET /v21.0/{media-id}` (bearer token) -> `{ url, mime_type, sha256, file_size, id,
 *   messaging_product }`, then `GET {url}` (same bearer token) -> the bytes (WhatsApp Cloud API);
 * - `GET /cdn/{id}`: a public CDN URL as Messenger/Instagram attachment payloads carry;
 * - Twilio `GET /2010-04-01/Accounts/{sid}/Messages/{MM..}/Media/{ME..}` (HTTP Basic) -> 302 to the CDN.
 * `script(pathPrefix, answers...)` makes the next requests under that prefix fail (500, 429 with
 * Retry-After...). `problems` records requests the real API would refuse; tests assert it is empty.
 */
export interface MediaFile {
  bytes: Buffer;
  mimeType: string;
  /** What the Graph lookup reports as file_size (defaults to the real length). */
  reportedSize?: number;
  /** Send the bytes chunked, without Content-Length (the size is only known by counting). */
  chunked?: boolean;
  /** The download answers only once this settles (lets a test see the "downloading" state). */
  gate?: Promise<void>;
}

export interface ScriptedFailure {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface FakeMediaServer {
  url: string;
  graphBase: string;
  files: Map<string, MediaFile>;
  requests: Array<{ method: string; path: string; authorization?: string; at: number }>;
  problems: string[];
  script: (pathPrefix: string, ...answers: ScriptedFailure[]) => void;
  close: () => Promise<void>;
}

export interface FakeMediaOptions {
  accessToken: string;
  twilio: { accountSid: string; authToken: string };
  port?: number;
}

export async function startFakeMedia(opts: FakeMediaOptions): Promise<FakeMediaServer> {
  const files = new Map<string, MediaFile>();
  const requests: FakeMediaServer['requests'] = [];
  const problems: string[] = [];
  const scripted: Array<{ prefix: string; answer: ScriptedFailure }> = [];
  let base = '';
  const bearer = `Bearer ${opts.accessToken}`;
  const basic = `Basic ${Buffer.from(`${opts.twilio.accountSid}:${opts.twilio.authToken}`).toString('base64')}`;

  const server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    const authorization = req.headers.authorization;
    requests.push({ method: req.method ?? '', path, authorization, at: Date.now() });
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    const refuse = (problem: string, status = 401) => {
      problems.push(`${req.method} ${path}: ${problem}`);
      json(status, { error: { message: problem, type: 'OAuthException', code: 190 } });
    };
    const bytes = (file: MediaFile) =>
      res
        .writeHead(200, {
          'content-type': file.mimeType,
          ...(file.chunked ? {} : { 'content-length': String(file.bytes.length) }),
        })
        .end(file.bytes);

    const i = scripted.findIndex((s) => path.startsWith(s.prefix));
    if (i >= 0) {
      const { answer } = scripted.splice(i, 1)[0]!;
      return json(answer.status, answer.body, answer.headers);
    }
    if (req.method !== 'GET') return refuse(`unexpected ${req.method}`, 405);

    let m = /^\/v\d+\.\d+\/([^/?]+)$/.exec(path);
    if (m) {
      if (authorization !== bearer) return refuse('missing or wrong bearer token');
      const file = files.get(decodeURIComponent(m[1]!));
      if (!file)
        return json(400, {
          error: { message: 'Unsupported get request. Object does not exist', type: 'GraphMethodException', code: 100 },
        });
      return json(200, {
        messaging_product: 'whatsapp',
        url: `${base}/whatsapp-cdn/${m[1]}?ext=1&hash=fake`,
        mime_type: file.mimeType,
        sha256: 'provider-reported-hash',
        file_size: file.reportedSize ?? file.bytes.length,
        id: m[1],
      });
    }
    m = /^\/whatsapp-cdn\/([^/?]+)\?/.exec(path);
    if (m) {
      // The real lookaside URL refuses requests without the bearer token.
      if (authorization !== bearer) return refuse('media download without the bearer token');
      const file = files.get(decodeURIComponent(m[1]!));
      if (!file) return json(404, { error: { message: 'Not found', code: 100 } });
      return void (file.gate ?? Promise.resolve()).then(() => bytes(file));
    }
    m = /^\/cdn\/([^/?]+)$/.exec(path);
    if (m) {
      // A public CDN: nobody should be sending it our Twilio or Graph credentials.
      if (authorization) problems.push(`credentials leaked to the CDN: ${path}`);
      const file = files.get(decodeURIComponent(m[1]!));
      return file ? bytes(file) : json(404, { message: 'Not found' });
    }
    m = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\/[^/]+\/Media\/([^/?]+)$/.exec(path);
    if (m) {
      if (m[1] !== opts.twilio.accountSid || authorization !== basic) return refuse('wrong basic auth', 401);
      if (!files.has(m[2]!))
        return json(404, { code: 20404, message: `The requested resource ${path} was not found`, status: 404 });
      // Twilio answers with a redirect to its CDN; a different origin, so fetch drops Authorization.
      return res.writeHead(302, { location: `${base.replace('127.0.0.1', 'localhost')}/cdn/${m[2]}` }).end();
    }
    refuse(`unexpected path ${path}`, 404);
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  base = `http://127.0.0.1:${port}`;
  return {
    url: base,
    graphBase: `${base}/v21.0`,
    files,
    requests,
    problems,
    script: (prefix, ...answers) => scripted.push(...answers.map((answer) => ({ prefix, answer }))),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
