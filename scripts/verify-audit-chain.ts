/**
 * Verifies an audit hash chain and reports the first broken link.
 *
 *   npx tsx scripts/verify-audit-chain.ts <slug>       an organisation's log
 *   npx tsx scripts/verify-audit-chain.ts platform     the platform's log
 *
 * Exit code 0 when the chain is intact, 1 when it is broken (or the organisation is unknown), 2 on
 * usage errors. Needs MONGO_URI. Prints the head (seq + hash): keep it somewhere else to detect a
 * truncated tail later.
 */
import { connectMongo } from '@/server/db/mongo';
import { platformModels } from '@/server/db/models/platform';
import { verifyAuditChain } from '@/server/services/audit';
import { isValidSlug } from '@/server/tenancy/slug';
import { runCli } from './lib/run-cli';

async function main(): Promise<number> {
  const target = process.argv[2];
  if (!target || (target !== 'platform' && !isValidSlug(target))) {
    console.error('usage: verify-audit-chain.ts <slug|platform>');
    return 2;
  }
  await connectMongo();
  if (target !== 'platform' && !(await platformModels().Organization.exists({ slug: { $eq: target } }))) {
    console.error(`no organisation "${target}"`);
    return 1;
  }
  const report = await verifyAuditChain(target);
  if (report.ok) {
    console.log(`OK ${target}: ${report.checked} entries, head seq ${report.head?.seq ?? 0} ${report.head?.hash ?? '-'}`);
    return 0;
  }
  console.log(
    `BROKEN ${target}: first broken link at seq ${report.broken!.seq}: ${report.broken!.reason} (${report.checked} entries verified before it)`,
  );
  return 1;
}

runCli(main);
