import type { Family } from '../../core/index.js';

/** One row of an IANA registry table, normalised: an inclusive integer range plus IANA's own columns. */
export interface IanaRecord {
  family: Family;
  start: bigint;
  end: bigint;
  /** The registry's own notation of the block: "001/8", "2001:200::/23", "1-1876". */
  label: string;
  designation: string;
  /** As IANA writes it: "1981-09" or "1999-07-01"; null when the column is empty. */
  date: string | null;
  whois: string | null;
  rdap: string[];
  /** IANA's status column upper-cased (ALLOCATED, LEGACY, RESERVED, …); for AS numbers derived from the description. */
  status: string;
  note: string | null;
  /** 1-based line number of the record in its file. */
  line: number;
}

export class IanaParseError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
  ) {
    super(`${file}:${line}: ${message}`);
    this.name = 'IanaParseError';
  }
}
