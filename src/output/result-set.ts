import type { Value } from "../bpf/btf-decode";

/** Cell: one value in a result row. */
export type Cell = Value;

/** ColumnInfo: a result column, with whether it holds numbers (right-aligned in tables). */
export interface ColumnInfo {
  name: string;
  numeric: boolean;
}

/**
 * Meta: what the user needs to trust the numbers: entries scanned, sample size, how rows were
 * drawn, the seed, entries left out and why, and the time taken.
 */
export interface Meta {
  scanned?: number;
  method?: string;
  seed?: number;
  /** The priority sampling threshold: a row with weight w was drawn with probability min(1, w/tau). */
  tau?: number;
  /** Rows left out of sampling because their weight was null, NaN, negative or zero. */
  excluded?: number;
  readMethod?: string;
  notes?: string[];
  /** A sample's estimated totals of its numeric columns (a sampled table's footer). */
  estTotals?: EstTotal[];
  elapsedMs?: number;
}

/** EstTotal: the Horvitz-Thompson total of one column of a sample, with its standard error. */
export interface EstTotal {
  column: string;
  estimate: number;
  se: number;
  /** The sample was the whole population: the total is exact. */
  exact: boolean;
}

/** ResultSet: what a query returns: plain columns, rows and meta. */
export interface ResultSet {
  columns: ColumnInfo[];
  rows: Cell[][];
  meta: Meta;
}

/** Message: what a statement without a table says (`tracing syscalls`). */
export interface Message {
  message: string;
}

/** FileOutput: what a statement writes to a file (`save`), for the shell to write. */
export interface FileOutput {
  message: string;
  file: { path: string; text: string };
}

export type StatementResult = ResultSet | Message | FileOutput | null;
