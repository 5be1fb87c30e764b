import { writeAudit } from '../audit';

export interface ClientInfo {
  ip?: string;
  userAgent?: string;
}

/** Sign-in and MFA events go to the platform audit log; never a password, code or seed. */
export function auditAuth(
  action: string,
  admin: { id?: string; email?: string },
  client: ClientInfo,
  details?: Record<string, unknown>,
) {
  return writeAudit(
    { scope: 'platform' },
    {
      action,
      actorType: 'superadmin',
      actorId: admin.id,
      actorEmail: admin.email,
      ipAddress: client.ip,
      userAgent: client.userAgent?.slice(0, 300),
      target: admin.id ? { type: 'SuperAdmin', id: admin.id } : undefined,
      details,
    },
  );
}
