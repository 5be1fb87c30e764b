/** Super-admin authentication on the platform host: password + mandatory TOTP, recovery codes, lockout. */
export { upsertSuperAdmin } from './admins';
export type { ClientInfo } from './audit';
export { clearCookieHeader, readCookie, setCookieHeader } from './cookies';
export { assertNotEnrolled, beginEnrolment, confirmEnrolment } from './enrolment';
export {
  beginAuthenticatorChange,
  confirmAuthenticatorChange,
  reauthenticate,
  regenerateRecoveryCodes,
  signOutEverywhere,
} from './mfa-changes';
export { signInPolicy } from './policy';
export { getSuperAdminSession, isPlatformHost, issueSession, type PlatformSession } from './session';
export { signInSecondFactor, signInWithPassword } from './sign-in';
export { readPlatformToken, requirePlatformToken, revokePlatformToken } from './tokens';
