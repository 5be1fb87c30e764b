import { z } from 'zod';
import { objectIdInput } from '../shared/ids';

/** What the admin console may change on a user. Role names are checked against org.roles[] on save. */
export const userPatch = z.strictObject({
  id: objectIdInput,
  displayName: z.string().trim().min(1, 'Enter a name.').max(120).optional(),
  role: z.string().trim().min(1).max(60).optional(),
  teamIds: z.array(objectIdInput).max(50).optional(),
  branchId: objectIdInput.nullable().optional(),
  skills: z.array(z.string().trim().min(1).max(40)).max(30).optional(),
  maxConcurrent: z.number().int().min(0, 'Zero or more.').max(100, 'At most 100.').optional(),
});
export type UserPatch = z.infer<typeof userPatch>;

export const userInvite = z.strictObject({
  email: z.string().trim().toLowerCase().email('Enter a valid email address.').max(254),
  displayName: z.string().trim().min(1).max(120).optional(),
  role: z.string().trim().min(1).max(60),
  teamIds: z.array(objectIdInput).max(50).default([]),
  branchId: objectIdInput.nullable().default(null),
});
export type UserInvite = z.input<typeof userInvite>;

export const userListInput = z
  .strictObject({
    search: z.string().trim().max(100).optional(),
    role: z.string().trim().max(60).optional(),
    status: z.enum(['invited', 'active', 'inactive', 'suspended']).optional(),
    teamId: objectIdInput.optional(),
  })
  .default({});

/** Fields the console shows; never the password hash or session stamps. */
export const USER_FIELDS = {
  displayName: 1,
  email: 1,
  role: 1,
  status: 1,
  teamIds: 1,
  branchId: 1,
  skills: 1,
  maxConcurrent: 1,
  isProtected: 1,
  lastLoginAt: 1,
  invitedAt: 1,
} as const;
