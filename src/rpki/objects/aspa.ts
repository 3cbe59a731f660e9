/**
 * Autonomous System Provider Authorizations, current SIDROPS profile (draft-ietf-sidrops-aspa-profile:
 * version 1, a customer ASID and a sorted, duplicate-free SEQUENCE OF provider ASIDs, no AFI limits).
 */
import * as asn1js from 'asn1js';
import { OID, expect, intFromBigInt, integerValue, parseDer, toBytes } from '../asn1/util.js';

export interface AspaContent {
  customer: bigint;
  providers: bigint[];
}

export const ASPA_CONTENT_TYPE = OID.ctAspa;

/**
 * 'current': version 1 and plain provider ASIDs (draft-ietf-sidrops-aspa-profile-16 and later).
 * 'v0': the earlier drafts (version 0, each provider a SEQUENCE { providerASID, afiLimit OPTIONAL }) that
 * rpki-client 8.x, as shipped in Debian 12, still parses.
 */
export type AspaProfile = 'current' | 'v0';

export function encodeAspa(a: AspaContent, profile: AspaProfile = 'current'): Uint8Array {
  const providers = [...new Set(a.providers)].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  if (!providers.length) throw new Error('ASPA: at least one provider');
  if (providers.includes(a.customer)) throw new Error('ASPA: the customer cannot be its own provider');
  if (profile === 'v0') {
    return toBytes(
      new asn1js.Sequence({
        value: [intFromBigInt(a.customer), new asn1js.Sequence({ value: providers.map((p) => new asn1js.Sequence({ value: [intFromBigInt(p)] })) })],
      }),
    );
  }
  return toBytes(
    new asn1js.Sequence({
      value: [
        new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [new asn1js.Integer({ value: 1 })] }),
        intFromBigInt(a.customer),
        new asn1js.Sequence({ value: providers.map(intFromBigInt) }),
      ],
    }),
  );
}

export function decodeAspa(der: Uint8Array): AspaContent & { profile: AspaProfile } {
  const seq = expect(parseDer(der), asn1js.Sequence, 'ASProviderAttestation').valueBlock.value;
  if (seq.length === 2) {
    const customer = integerValue(expect(seq[0], asn1js.Integer, 'customerASID'));
    const providers = expect(seq[1], asn1js.Sequence, 'providers').valueBlock.value.map((p) =>
      integerValue(expect(expect(p, asn1js.Sequence, 'ProviderAS').valueBlock.value[0], asn1js.Integer, 'providerASID')),
    );
    return { customer, providers, profile: 'v0' };
  }
  if (seq.length !== 3) throw new Error('ASPA: 3 fields expected');
  const v = seq[0]!;
  if (v.idBlock.tagClass !== 3 || v.idBlock.tagNumber !== 0) throw new Error('ASPA: version [0] missing');
  const version = integerValue(expect((v as asn1js.Constructed).valueBlock.value[0], asn1js.Integer, 'version'));
  if (version !== 1n) throw new Error(`ASPA: version ${version}, expected 1`);
  const customer = integerValue(expect(seq[1], asn1js.Integer, 'customerASID'));
  const providers = expect(seq[2], asn1js.Sequence, 'providers').valueBlock.value.map((p) => integerValue(expect(p, asn1js.Integer, 'providerASID')));
  for (let i = 1; i < providers.length; i++) if (providers[i]! <= providers[i - 1]!) throw new Error('ASPA: providers not sorted or repeated');
  if (providers.includes(customer)) throw new Error('ASPA: customer listed as provider');
  return { customer, providers, profile: 'current' };
}
