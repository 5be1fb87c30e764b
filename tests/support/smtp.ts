import { SMTPServer } from 'smtp-server';

/** A local SMTP server that keeps every message it receives (envelope + raw source). */
export interface CapturedMail {
  from: string;
  to: string[];
  raw: string;
}

export async function startSmtpCapture(): Promise<{ port: number; mails: CapturedMail[]; close: () => Promise<void> }> {
  const mails: CapturedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth: (_auth, _session, cb) => cb(null, { user: 'test' }),
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  return { port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** The first link to `path` in a captured message (quoted-printable soft breaks undone). */
export function linkIn(mail: CapturedMail, path: string): string {
  const body = mail.raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
  const m = body.match(new RegExp(`https?://[^\\s]+${path}/[A-Za-z0-9_-]{43}`));
  if (!m) throw new Error(`no ${path} link in:\n${mail.raw}`);
  return m[0];
}
