import { Schema, type InferSchemaType } from 'mongoose';
import { deletePaths, SUPER_ADMIN_SECRET_PATHS } from '../../../crypto/secret-fields';

const hide = { transform: (_d: unknown, ret: Record<string, unknown>) => deletePaths(ret, SUPER_ADMIN_SECRET_PATHS) };

/** Platform operators. Outside every organisation's roles; MFA is mandatory (identity issue). */
export const superAdminSchema = new Schema(
  {
    email: { type: String, required: true, unique: true, lowercase: true, trim: true },
    passwordHash: { type: String, required: true }, // argon2id
    displayName: { type: String, required: true },
    role: { type: String, enum: ['super_admin', 'platform_admin'], default: 'super_admin' },
    lastLoginAt: Date,
    mfaEnabled: { type: Boolean, default: false },
    mfaSecret: String, // encrypted, scope 'platform', field `superAdmin.<id>.mfaSecret`
    recoveryCodes: { type: [String], default: undefined }, // argon2id hashes, one-time
    failedLogins: { type: Number, default: 0 },
    lockedUntil: Date,
    /** Sessions issued before this instant are void (sign-out everywhere, MFA change). */
    sessionsValidAfter: Date,
  },
  { timestamps: true, collection: 'super_admins', toJSON: hide, toObject: hide },
);

export type SuperAdminDoc = InferSchemaType<typeof superAdminSchema>;
