import type { InferSchemaType } from 'mongoose';
import { deletePaths } from '../../../crypto/secret-fields';
import { Schema } from 'mongoose';
import { guardUserRole } from './role-guard';
import { ObjectId, tenantOpts } from './schema-options';

export const USER_STATUSES = ['invited', 'active', 'inactive', 'suspended'] as const;

const hide = { transform: (_d: unknown, ret: Record<string, unknown>) => deletePaths(ret, ['passwordHash']) };

export const userSchema = new Schema(
  {
    displayName: { type: String, required: true, trim: true, maxlength: 120 },
    email: { type: String, required: true, lowercase: true, trim: true },
    /** A name from org.roles[]; validated against it when saved (identity service). */
    role: { type: String, required: true },
    passwordHash: String, // argon2id; absent for SSO-only users
    avatarUrl: String,
    isProtected: { type: Boolean, default: false },
    status: { type: String, enum: USER_STATUSES, default: 'invited' },
    teamIds: { type: [ObjectId], default: [] },
    branchId: ObjectId,
    skills: { type: [String], default: [] },
    maxConcurrent: { type: Number, default: 5, min: 0 },
    lastLoginAt: Date,
    lastActiveAt: Date,
    externalId: String, // subject from the org's OIDC/SAML IdP
    metadata: { type: Object, default: () => ({}) }, // timezone, locale
    invitedAt: Date,
    invitedBy: ObjectId,
    /** Sessions issued before this are void: suspension, role or password changes revoke them. */
    sessionsValidAfter: Date,
  },
  tenantOpts('users', { toJSON: hide, toObject: hide }),
);
userSchema.index({ email: 1 }, { unique: true });
userSchema.index({ externalId: 1 }, { unique: true, partialFilterExpression: { externalId: { $type: 'string' } } });
userSchema.index({ status: 1, role: 1 });
userSchema.index({ teamIds: 1 });
userSchema.index({ branchId: 1 });
guardUserRole(userSchema);

export const teamSchema = new Schema(
  {
    name: { type: String, required: true, trim: true },
    description: String,
    leadIds: { type: [ObjectId], default: [] },
    skills: { type: [String], default: [] },
  },
  tenantOpts('teams'),
);
teamSchema.index({ name: 1 }, { unique: true });

export const branchSchema = new Schema(
  {
    name: { type: String, required: true, trim: true },
    code: { type: String, required: true },
    address: String,
    timezone: { type: String, default: 'UTC' },
    managerIds: { type: [ObjectId], default: [] },
  },
  tenantOpts('branches'),
);
branchSchema.index({ code: 1 }, { unique: true });

export type UserDoc = InferSchemaType<typeof userSchema>;
export type TeamDoc = InferSchemaType<typeof teamSchema>;
export type BranchDoc = InferSchemaType<typeof branchSchema>;
