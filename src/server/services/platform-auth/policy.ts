/**
 * Brute-force policy for super-admin sign-in. Failures are counted per account (in the SuperAdmin
 * record, so a Redis flush cannot reset a lockout); client addresses go through the shared rate
 * limiter (services/rate-limit). After `slowAfter`
 * failures each further attempt must wait an exponentially growing delay; at `lockAfter` the account
 * is locked for `lockMs`. A success resets the account counter.
 *
 * Mutable on purpose: tests shorten the delays instead of sleeping for minutes.
 */
export const signInPolicy = {
  slowAfter: 3,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  lockAfter: 10,
  lockMs: 15 * 60_000,
  /** Password step -> TOTP step: how long the half-signed-in state lasts. */
  challengeTtlSeconds: 5 * 60,
  sessionTtlSeconds: 8 * 60 * 60,
  /** A re-authentication unlocks MFA changes for this long. */
  reauthTtlSeconds: 5 * 60,
  recoveryCodeCount: 10,
};

export function delayAfter(failures: number): number {
  if (failures < signInPolicy.slowAfter) return 0;
  const exp = failures - signInPolicy.slowAfter;
  return Math.min(signInPolicy.baseDelayMs * 2 ** exp, signInPolicy.maxDelayMs);
}
