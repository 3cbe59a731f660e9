/**
 * The demo members' routing intent: ROAs for the hosted CA and RPSL objects (aut-num, route/route6, an
 * as-set) in the IRR, submitted through the IRR's own authorised write path with each member's maintainer
 * password — the same path a member's submission takes.
 */
import type { Db } from '../db/database.js';
import { recordChange } from '../registry/feed.js';
import { IrrService } from '../irr/service.js';
import { DEMO_MEMBERS } from './demo-data.js';

export async function loadDemoRouting(db: Db, irrSource = process.env.NUMREG_IRR_SOURCE || 'NUMREG'): Promise<{ roas: number; rpslObjects: number }> {
  const source = irrSource.toUpperCase();
  let roas = 0;
  await db.transaction(async (tx) => {
    for (const m of DEMO_MEMBERS) {
      const { rows } = await tx.query<{ id: string }>('SELECT id::text AS id FROM organisation WHERE handle = $1', [m.handle]);
      for (const r of m.routes) {
        const asn = r.origin.replace(/^AS/i, '');
        const inserted = await tx.query<{ id: string }>(
          `INSERT INTO roa (org_id, prefix, max_length, asn, comment, created_by) VALUES ($1, $2::cidr, $3, $4, 'demo', 'system:demo')
           ON CONFLICT DO NOTHING RETURNING id::text AS id`, [rows[0]!.id, r.prefix, r.maxLength, asn]);
        if (!inserted.rows[0]) continue;
        roas++;
        await recordChange(tx, {
          objectType: 'roa', objectKey: inserted.rows[0].id, action: 'create', version: 1, actor: { kind: 'system', name: 'demo' },
          after: { org: m.handle, prefix: r.prefix, maxLength: r.maxLength, asn: Number(asn) },
        });
      }
    }
  });

  const irr = await IrrService.create(db, { source });
  const objects: string[] = [];
  const passwords: string[] = [];
  for (const m of DEMO_MEMBERS) {
    if (m.routes.length === 0) continue;
    passwords.push(m.maintainer.password);
    const origin = m.routes[0]!.origin;
    objects.push(`aut-num: ${origin}\nas-name: ${m.handle.slice(4, -3)}-AS\ndescr: ${m.name}\nadmin-c: ${m.contacts[0]!.handle}\ntech-c: ${m.contacts.at(-1)!.handle}\nmnt-by: ${m.maintainer.handle}\nsource: ${source}`);
    for (const r of m.routes) {
      const cls = r.prefix.includes(':') ? 'route6' : 'route';
      objects.push(`${cls}: ${r.prefix}\ndescr: ${m.name}\norigin: ${r.origin}\nmnt-by: ${m.maintainer.handle}\nsource: ${source}`);
    }
  }
  const members = DEMO_MEMBERS.filter((m) => m.routes.length > 0);
  objects.push(`as-set: AS-JPDEMO\ndescr: Demo members of the NIR\nmembers: ${members.map((m) => m.routes[0]!.origin).join(', ')}\nadmin-c: ${members[0]!.contacts[0]!.handle}\ntech-c: ${members[0]!.contacts.at(-1)!.handle}\nmnt-by: ${members[0]!.maintainer.handle}\nsource: ${source}`);
  const report = await irr.submit({ objects: objects.map((text) => ({ text })), passwords });
  const failed = report.objects.filter((o) => o.status !== 'success');
  if (failed.length > 0) throw new Error(`demo IRR objects rejected: ${failed.map((o) => `${o.className} ${o.pkey}: ${o.errors.join('; ')}`).join(' | ')}`);
  return { roas, rpslObjects: report.objects.length };
}
