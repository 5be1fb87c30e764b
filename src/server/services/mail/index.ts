import nodemailer, { type Transporter } from 'nodemailer';
import { readOrgSecret } from '../../crypto/secret-fields';
import { getEnv } from '../../env';
import { AppError } from '../../errors';
import { loadOrg } from '../../tenancy/org-cache';

/**
 * Outgoing mail over SMTP (nodemailer). The sender is the organisation's: its own SMTP server and
 * credentials when `email.provider` is smtp, otherwise the platform's SMTP_URL with the org's
 * from-name/from-address/reply-to. Without any SMTP outside production, messages are printed to the
 * log so `npm run dev` works without a mail server.
 */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

const transports = new Map<string, Transporter>();

function transportFor(url: string, password?: string): Transporter {
  const key = `${url}|${password ?? ''}`;
  let t = transports.get(key);
  if (!t) {
    const parsed = new URL(url);
    if (password) parsed.password = encodeURIComponent(password);
    t = nodemailer.createTransport(parsed.toString());
    transports.set(key, t);
  }
  return t;
}

export async function sendOrgMail(slug: string, message: MailMessage): Promise<void> {
  const env = getEnv();
  const org = await loadOrg(slug);
  if (!org) throw new AppError('NOT_FOUND', 'No such workspace');
  const email = org.email ?? {};
  const appName = org.branding?.appName ?? org.name;
  const fromAddress = email.fromEmail ?? env.MAIL_FROM.match(/<([^>]+)>/)?.[1] ?? env.MAIL_FROM;
  const from = { name: email.fromName ?? appName, address: fromAddress };
  const own = email.provider === 'smtp' && email.smtpUrl;
  const url = own ? email.smtpUrl! : env.SMTP_URL;
  const mail = {
    from,
    to: message.to,
    subject: message.subject,
    text: message.text,
    html: message.html,
    replyTo: email.replyTo ?? undefined,
  };
  if (!url) {
    if (env.NODE_ENV === 'production') throw new AppError('UNAVAILABLE', 'Mail is not configured (SMTP_URL)');
    console.info(`[mail] (no SMTP_URL) to ${message.to}: ${message.subject}\n${message.text}`);
    return;
  }
  await transportFor(url, own ? readOrgSecret(org, 'email.smtpPassword') : undefined).sendMail(mail);
}
