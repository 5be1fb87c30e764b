import { errorResponse, jsonBody, withCookies } from '@/server/auth/http';
import { connectMongo } from '@/server/db/mongo';
import { getEnv } from '@/server/env';
import { AppError } from '@/server/errors';
import {
  assertNotEnrolled,
  beginAuthenticatorChange,
  beginEnrolment,
  clearCookieHeader,
  confirmAuthenticatorChange,
  confirmEnrolment,
  getSuperAdminSession,
  isPlatformHost,
  readCookie,
  readPlatformToken,
  reauthenticate,
  regenerateRecoveryCodes,
  revokePlatformToken,
  setCookieHeader,
  signInPolicy,
  signInSecondFactor,
  signInWithPassword,
  signOutEverywhere,
  type ClientInfo,
} from '@/server/services/platform-auth';
import { clientIp } from '@/server/services/rate-limit';

export const dynamic = 'force-dynamic';

/**
 * Super-admin sign-in and MFA endpoints of the platform host (POST /api/platform/auth/<action>).
 * Thin: every decision is in src/server/services/platform-auth. JSON bodies only, so a cross-site
 * form cannot post here; the cookies are SameSite=Strict and host-only besides.
 */
type Handler = (req: Request, client: ClientInfo) => Promise<Response>;

const sessionCookie = (s: { token: string }) => setCookieHeader('session', s.token, signInPolicy.sessionTtlSeconds);
const challengeOf = (req: Request) => readCookie(req.headers, 'challenge');

async function currentSession(req: Request) {
  const session = await getSuperAdminSession(req.headers);
  if (!session) throw new AppError('UNAUTHORIZED', 'Sign in to continue');
  return session;
}

/** Enrolment runs either half-signed-in (first sign-in) or from a session after re-authentication. */
async function enrolSubject(req: Request) {
  const claims = await readPlatformToken(challengeOf(req), 'challenge');
  if (claims?.stage === 'enrol') {
    await assertNotEnrolled(claims.sub);
    return { kind: 'first' as const, admin: { id: claims.sub, email: claims.email }, claims };
  }
  return { kind: 'change' as const, session: await currentSession(req) };
}

const actions: Record<string, Handler> = {
  async password(req, client) {
    const step = await signInWithPassword(await jsonBody(req), client);
    return withCookies({ stage: step.stage }, [setCookieHeader('challenge', step.challenge, step.expiresInSeconds)]);
  },
  async 'second-factor'(req, client) {
    const { session, recoveryCodesLeft } = await signInSecondFactor(challengeOf(req), await jsonBody(req), client);
    return withCookies({ ok: true, recoveryCodesLeft }, [sessionCookie(session), clearCookieHeader('challenge')]);
  },
  async 'enrol-start'(req) {
    const s = await enrolSubject(req);
    const setup = s.kind === 'first' ? await beginEnrolment(s.admin) : await beginAuthenticatorChange(s.session);
    return withCookies({ secret: setup.secret, uri: setup.uri, qrDataUrl: setup.qrDataUrl }, []);
  },
  async 'enrol-confirm'(req, client) {
    const s = await enrolSubject(req);
    const body = await jsonBody(req);
    const result =
      s.kind === 'first'
        ? await confirmEnrolment(s.admin, body, client)
        : await confirmAuthenticatorChange(s.session, body, client);
    if (s.kind === 'first') await revokePlatformToken(s.claims);
    return withCookies({ recoveryCodes: result.recoveryCodes }, [sessionCookie(result.session), clearCookieHeader('challenge')]);
  },
  async reauth(req, client) {
    return withCookies(await reauthenticate(await currentSession(req), await jsonBody(req), client), []);
  },
  async 'recovery-codes'(req, client) {
    return withCookies(await regenerateRecoveryCodes(await currentSession(req), client), []);
  },
  async 'sign-out'(req) {
    const claims = await readPlatformToken(readCookie(req.headers, 'session'), 'session');
    if (claims) await revokePlatformToken(claims);
    return withCookies({ ok: true }, [clearCookieHeader('session'), clearCookieHeader('challenge')]);
  },
  async 'sign-out-everywhere'(req, client) {
    await signOutEverywhere(await currentSession(req), client);
    return withCookies({ ok: true }, [clearCookieHeader('session')]);
  },
};

export async function POST(req: Request, { params }: { params: Promise<{ action: string }> }) {
  const { action } = await params;
  const handler = Object.hasOwn(actions, action) ? actions[action] : undefined;
  if (!handler || !isPlatformHost(req.headers)) return Response.json({ error: 'Not found' }, { status: 404 });
  if (!req.headers.get('content-type')?.startsWith('application/json')) {
    return Response.json({ error: 'Send JSON' }, { status: 415 });
  }
  try {
    await connectMongo();
    const client = { ip: clientIp(req.headers, getEnv().TRUST_PROXY), userAgent: req.headers.get('user-agent') ?? undefined };
    return await handler(req, client);
  } catch (err) {
    return errorResponse(err);
  }
}
