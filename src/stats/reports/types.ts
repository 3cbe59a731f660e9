import type { Queryable } from '../../db/database.js';

export type Cell = string | number | null;
export type Row = Record<string, Cell>;

export interface Column {
  key: string;
  title: string;
  align?: 'left' | 'right';
}

export interface ReportOptions {
  /** YYYY-MM-DD: the registry as it stood at the end of that day (UTC), rebuilt from the change feed. */
  asOf?: string;
  /** Restrict to one registry's delegations (statistics name: 'apnic', 'jpnic', …) where a report supports it. */
  registry?: string;
}

export interface Report {
  name: string;
  title: string;
  /** How the figures are counted (printed under the table and served with the JSON). */
  note: string;
  columns: Column[];
  query(db: Queryable, options: ReportOptions): Promise<Row[]>;
}
