import { linkBase, tenantOf } from '@/server/auth/http';
import { samlAcs } from '@/server/services/identity/saml';
import { issueSession } from '@/server/services/identity/sessions';

export const dynamic = 'force-dynamic';

/** SAML assertion consumer service: the IdP's browser POST lands here; success sets our session. */
export async function POST(req: Request) {
  const headers = new Headers({ 'cache-control': 'no-store' });
  try {
    const org = await tenantOf(req);
    const form = await req.formData();
    const body = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === 'string'));
    const { userId, next } = await samlAcs(org.slug, linkBase(req, org), body);
    for (const c of (await issueSession(org.slug, userId)).cookies) headers.append('set-cookie', c);
    headers.set('location', next);
  } catch (err) {
    console.warn('[identity] SAML sign-in refused:', (err as Error).message);
    headers.set('location', '/sign-in?error=sso');
  }
  return new Response(null, { status: 303, headers });
}
