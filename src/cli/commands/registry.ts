/** Registry operations from the command line, as the registry's staff (or the system bootstrap). */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseResource, ResourceSet } from '../../core/index.js';
import type { Db } from '../../db/database.js';
import { evaluateRequest, policiesInForce, policiesWithProposals, registryOrganisation, whatIf, type WhatIfRequest } from '../../policy/index.js';
import type { Actor } from '../../registry/actor.js';
import { createApiKey } from '../../registry/api-keys.js';
import { objectHistory } from '../../registry/feed.js';
import { lessSpecifics, moreSpecifics } from '../../registry/lookup.js';
import { requireOrganisation } from '../../registry/organisations.js';
import { Registry } from '../../registry/registry.js';
import { DELEGATE_OPERATIONS, type DelegateOperation } from '../../registry/status-rules.js';
import { jsonReplacer } from '../../api/register.js';
import { CliError, withDatabase } from '../context.js';
import { requireFile } from './data.js';

/** The CLI acts as registry staff by default; `--as system` for bootstrap-level changes. */
async function cliActor(db: Db, as: string | undefined): Promise<Actor> {
  const user = process.env.USER || 'operator';
  if (as === 'system') return { kind: 'system', name: `cli:${user}` };
  const org = as ? await requireOrganisation(db, as) : await registryOrganisation(db);
  return { kind: 'staff', name: `cli:${user}`, orgId: org.id };
}

const print = (value: unknown) => console.log(JSON.stringify(value, jsonReplacer, 2));

export function registerRegistryCommands(program: Command): void {
  program.command('delegate <operation> <resource>')
    .description(`create a delegation: operation is one of ${Object.keys(DELEGATE_OPERATIONS).join(', ')}`)
    .requiredOption('--holder <handle>', 'organisation receiving the block')
    .option('--parent <id>', 'parent delegation id (default: the most specific block the actor holds)')
    .option('--net-name <name>').option('--country <cc>').option('--reason <text>')
    .option('--as <org|system>', 'act for this organisation (default: the registry itself)')
    .action((operation: string, resource: string, o: Record<string, string | undefined>) => {
      if (!(operation in DELEGATE_OPERATIONS)) throw new CliError(`unknown operation "${operation}"; use ${Object.keys(DELEGATE_OPERATIONS).join(', ')}`, 2);
      const range = parseResource(resource);
      return withDatabase(async (db) => {
        const result = await new Registry(db).delegate({
          range, holderHandle: o.holder!, parentId: o.parent, netName: o.netName, country: o.country, reason: o.reason,
          status: DELEGATE_OPERATIONS[operation as DelegateOperation],
        }, await cliActor(db, o.as));
        print(result.value);
      });
    });

  program.command('lookup <resource>').description('the delegations containing and inside a resource')
    .action((resource: string) => {
      const range = parseResource(resource);
      return withDatabase(async (db) => {
        const less = await lessSpecifics(db, range, true);
        const more = await moreSpecifics(db, range, 100);
        for (const d of less) console.log(`${d.resource.padEnd(36)} ${d.status.padEnd(13)} ${d.holderHandle}  (id ${d.id})`);
        for (const d of more) console.log(`  ${d.resource.padEnd(34)} ${d.status.padEnd(13)} ${d.holderHandle}  (id ${d.id})`);
        if (less.length + more.length === 0) throw new CliError(`no delegation covers or lies inside ${resource}`);
      });
    });

  program.command('history <delegation-id>').description('every version of a delegation')
    .action((id: string) => withDatabase(async (db) => {
      const history = await objectHistory(db, 'delegation', id);
      if (history.length === 0) throw new CliError(`delegation ${id} has no history`);
      print(history);
    }));

  program.command('key').description('API keys').command('create')
    .description('create an API key (the secret is printed once)')
    .requiredOption('--org <handle>', 'organisation the key acts for')
    .requiredOption('--scopes <list>', 'comma-separated: registry:write, irr:write, rpki:write, rdap:legitimate-interest, staff')
    .option('--label <text>')
    .action((o: { org: string; scopes: string; label?: string }) => withDatabase(async (db) => {
      const org = await requireOrganisation(db, o.org);
      const actor = await cliActor(db, undefined);
      const { key, info } = await new Registry(db).write((tx) => createApiKey(tx, { orgId: org.id, scopes: o.scopes.split(',').map((s) => s.trim()), label: o.label }, actor));
      console.log(key);
      process.stderr.write(`numreg: key ${info.keyId} for ${org.handle} with scopes ${info.scopes.join(', ')}; store it now, it is not shown again\n`);
    }));

  const policy = program.command('policy').description('allocation policies');
  policy.command('list').option('--date <yyyy-mm-dd>').description('the policies in force on a date')
    .action((o: { date?: string }) => {
      for (const p of policiesInForce(o.date ?? new Date().toISOString().slice(0, 10))) console.log(`${p.id.padEnd(26)} ${p.source.padEnd(18)} ${p.title}`);
    });
  policy.command('evaluate').description('evaluate a request against the policies in force')
    .requiredOption('--org <handle>').requiredOption('--family <ipv4|ipv6|asn>').option('--length <n>', 'prefix length')
    .option('--ixp', 'the request is for an IXP').option('--date <yyyy-mm-dd>')
    .action((o: { org: string; family: string; length?: string; ixp?: boolean; date?: string }) => withDatabase(async (db) => {
      if (!['ipv4', 'ipv6', 'asn'].includes(o.family)) throw new CliError(`--family must be ipv4, ipv6 or asn, not "${o.family}"`, 2);
      const org = await requireOrganisation(db, o.org);
      print(await evaluateRequest(db, { orgId: org.id, family: o.family as 'ipv4', prefixLength: o.length === undefined ? undefined : Number(o.length), isIxp: !!o.ixp, date: o.date }));
    }));
  policy.command('what-if <requests.json>')
    .description('replay requests ({"pool":[…],"requests":[{org,role,family,prefixLength,date}]}) under the policies in force and with proposals')
    .option('--proposal <id...>', 'proposals to adopt in the second run, e.g. prop-152').option('--date <yyyy-mm-dd>')
    .action((file: string, o: { proposal?: string[]; date?: string }) => {
      requireFile(file, 'what-if file');
      let input: { pool: string[]; requests: WhatIfRequest[] };
      try {
        input = JSON.parse(readFileSync(file, 'utf8'));
      } catch (error) {
        throw new CliError(`${file} is not valid JSON: ${(error as Error).message}`, 2);
      }
      if (!Array.isArray(input.pool) || !Array.isArray(input.requests)) throw new CliError(`${file} needs "pool" and "requests" arrays`, 2);
      const date = o.date ?? new Date().toISOString().slice(0, 10);
      const sets: Record<string, ReturnType<typeof policiesInForce>> = { 'policies in force': policiesInForce(date) };
      if (o.proposal?.length) sets[`with ${o.proposal.join(', ')}`] = policiesWithProposals(date, o.proposal);
      const results = whatIf(ResourceSet.fromRanges(input.pool.map(parseResource)), input.requests, sets);
      for (const r of results) {
        console.log(`${r.name}: served ${r.served}, waitlisted ${r.waitlisted}, denied ${r.denied}, IPv4 left ${r.addressesLeft.ipv4}, pool exhausted ${r.exhaustedOn ?? 'never'}`);
      }
    });
}
