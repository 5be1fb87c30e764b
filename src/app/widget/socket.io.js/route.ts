import { readFile } from 'node:fs/promises';
import path from 'node:path';

export const dynamic = 'force-static';

/** The Socket.IO browser client for the web-chat widget (public/widget.js loads it from here). */
let cached: string | undefined;

export async function GET() {
  cached ??= await readFile(path.join(process.cwd(), 'node_modules/socket.io-client/dist/socket.io.min.js'), 'utf8');
  return new Response(cached, {
    headers: {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=86400',
      'access-control-allow-origin': '*',
    },
  });
}
