/**
 * Hooks through which other parts of numreg plug into the WHOIS server without it depending on them.
 * The IRR (src/irr) provides both: `rpslLookup` for its RPSL objects (route, route6, as-set, …) in WHOIS
 * answers and for the origin AS in bulk attribution, `irrHandler` for IRRd `!` commands on the same port.
 */
import type { NumberRange } from '../core/index.js';
import type { IpLookup } from './flags.js';
import type { KeyKind } from './keys.js';

/** An RPSL object of the IRR, already formatted (attribute lines, no trailing blank line). */
export interface RpslText {
  className: string;
  key: string;
  source: string;
  text: string;
}

export interface RpslSearch {
  key: string;
  kind: KeyKind;
  range?: NumberRange;
  ip: IpLookup | null;
  /** -T types (null: all), -i attributes (null: not an inverse query), -s sources (null: default sources). */
  types: string[] | null;
  inverse: string[] | null;
  sources: string[] | null;
}

export interface RpslLookup {
  /** RPSL objects matching a WHOIS query (called for every query; return [] for keys it does not serve). */
  search?(query: RpslSearch): Promise<RpslText[]> | RpslText[];
  /** Most specific route object covering an address, for bulk attribution; synchronous, so 100,000 look-ups stay fast. */
  originOf?(family: 'ipv4' | 'ipv6', address: bigint): { prefix: string; origin: bigint } | undefined;
  /** Sources served by the IRR (shown by -q sources, accepted by -s). */
  sources?(): string[];
}

/** One client connection as the IRRd command handler sees it. */
export interface IrrSession {
  readonly client: string;
  /** True after "!!": the connection stays open and every answer uses IRRd framing. */
  readonly multiCommand: boolean;
  /** Per-connection state for the handler (e.g. "!s" source selection, "!n" client name). */
  readonly state: Map<string, unknown>;
}

/** Answers one `!` command line (without its line end) with the exact bytes to send, IRRd-framed. */
export type IrrHandler = (session: IrrSession, line: string) => Promise<string> | string;

/** Until the IRR provides its handler: every command is unrecognised, in IRRd's own words. */
export const defaultIrrHandler: IrrHandler = () => 'F Unrecognized command\n';
