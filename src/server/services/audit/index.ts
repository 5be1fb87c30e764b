export { writeAudit, canonical, entryHash, type AuditInput, type AuditScope } from './writer';
export { redact } from './redact';
export { auditOrgChange, type OrgActor } from './org-change';
export { auditListInput, listOrgAudit } from './list';
export { verifyAuditChain, verifyChain, type ChainReport } from './verify';
