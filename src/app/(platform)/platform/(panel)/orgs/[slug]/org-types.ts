/** The shape of platform.orgs.get as the panel uses it (the service returns the document's JSON). */
export interface AdminOrg {
  slug: string;
  name: string;
  status: 'active' | 'suspended' | 'provisioning';
  statusReason?: string | null;
  branding: { appName: string; logo?: string; favicon?: string; colors: Record<string, string> };
  features: Record<string, boolean>;
  plan: { tier: 'free' | 'starter' | 'pro' | 'enterprise'; maxUsers: number; maxStorageMB: number };
  usage?: { users?: number; storageBytes?: number; conversations?: number; reconciledAt?: string };
  auth?: { method: 'password' | 'oidc' | 'saml'; oidc?: { issuer?: string; clientId?: string } };
  secrets: Record<string, boolean>;
  customDomains: Array<{
    domain: string;
    verified: boolean;
    verifiedAt: Date | null;
    txtRecord: { name: string; value: string };
    lastCheckError: string | null;
  }>;
  createdAt?: string;
  url: string;
}
