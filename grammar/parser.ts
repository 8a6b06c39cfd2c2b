import { CstParser, type CstNode } from "chevrotain";
import {
  All,
  allTokens,
  By,
  Dot,
  Duration,
  From,
  Id,
  Identifier,
  Keyword,
  MapKw,
  Maps,
  Newline,
  NumberLit,
  Percent,
  Probes,
  Programs,
  Sample,
  Seed,
  Semicolon,
  Show,
  SoftKeyword,
  Stop,
  StringLit,
  Trace,
  Wait,
  Weighted,
} from "./tokens";

/**
 * GmsParser: the gms grammar. The entry rule is `statement`: a caller splits the token stream at
 * newlines and `;` and parses one statement at a time (terminator included), so an error in one
 * statement can never swallow or hide the next one.
 */
export class GmsParser extends CstParser {
  constructor() {
    super(allTokens, { recoveryEnabled: true, nodeLocationTracking: "full" });
    this.performSelfAnalysis();
  }

  statement = this.RULE("statement", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.sampleStatement) },
      { ALT: () => this.SUBRULE(this.traceStatement) },
      { ALT: () => this.SUBRULE(this.stopStatement) },
      { ALT: () => this.SUBRULE(this.waitStatement) },
      { ALT: () => this.SUBRULE(this.showStatement) },
    ]);
    this.OPTION(() => this.SUBRULE(this.terminator));
  });

  terminator = this.RULE("terminator", () => {
    this.OR([{ ALT: () => this.CONSUME(Newline) }, { ALT: () => this.CONSUME(Semicolon) }]);
  });

  sampleStatement = this.RULE("sampleStatement", () => {
    this.CONSUME(Sample);
    this.SUBRULE(this.sampleSize);
    this.CONSUME(From);
    this.SUBRULE(this.mapSource);
    // Clauses come in any order; build-ast reports a clause given twice.
    this.MANY(() => {
      this.OR([
        { ALT: () => this.SUBRULE(this.weightedClause) },
        { ALT: () => this.SUBRULE(this.seedClause) },
      ]);
    });
  });

  sampleSize = this.RULE("sampleSize", () => {
    this.OR([{ ALT: () => this.CONSUME(Percent) }, { ALT: () => this.CONSUME(NumberLit) }]);
  });

  /** mapSource: `map REF`, or a bare map name. */
  mapSource = this.RULE("mapSource", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(MapKw);
          this.SUBRULE(this.mapRef);
        },
      },
      { ALT: () => this.SUBRULE(this.name) },
    ]);
  });

  /** mapRef: `id N`, a name, or a quoted string (a pinned path when it starts with `/`). */
  mapRef = this.RULE("mapRef", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(Id);
          this.CONSUME(NumberLit);
        },
      },
      { ALT: () => this.SUBRULE(this.name) },
      { ALT: () => this.CONSUME(StringLit) },
    ]);
  });

  weightedClause = this.RULE("weightedClause", () => {
    this.CONSUME(Weighted);
    this.CONSUME(By);
    this.SUBRULE(this.fieldRef);
  });

  seedClause = this.RULE("seedClause", () => {
    this.CONSUME(Seed);
    this.CONSUME(NumberLit);
  });

  /** fieldRef: `qps`, `key.pid`; after a dot any word is a field name, keywords included. */
  fieldRef = this.RULE("fieldRef", () => {
    this.OR1([{ ALT: () => this.SUBRULE(this.name) }, { ALT: () => this.CONSUME(Id) }]);
    this.MANY(() => {
      this.CONSUME(Dot);
      this.OR2([{ ALT: () => this.CONSUME(Identifier) }, { ALT: () => this.CONSUME(Keyword) }]);
    });
  });

  traceStatement = this.RULE("traceStatement", () => {
    this.CONSUME(Trace);
    this.SUBRULE(this.probeName);
  });

  stopStatement = this.RULE("stopStatement", () => {
    this.CONSUME(Stop);
    this.OR([{ ALT: () => this.CONSUME(All) }, { ALT: () => this.SUBRULE(this.probeName) }]);
  });

  probeName = this.RULE("probeName", () => {
    this.SUBRULE(this.name);
  });

  waitStatement = this.RULE("waitStatement", () => {
    this.CONSUME(Wait);
    this.CONSUME(Duration);
  });

  showStatement = this.RULE("showStatement", () => {
    this.CONSUME(Show);
    this.OR([
      { ALT: () => this.CONSUME(Maps) },
      { ALT: () => this.CONSUME(Programs) },
      { ALT: () => this.CONSUME(Probes) },
    ]);
  });

  /** name: an identifier, or a soft keyword used as one. */
  name = this.RULE("name", () => {
    this.OR([{ ALT: () => this.CONSUME(Identifier) }, { ALT: () => this.CONSUME(SoftKeyword) }]);
  });
}

/**
 * ruleLabels: how a diagnostic names a rule that is expected next, where the list of its first
 * tokens would read badly ("a name or 'map'"). A rule is named this way only when exactly its
 * first tokens are what may come next.
 */
export const ruleLabels: Record<string, string> = {
  sampleSize: "a sample size like 1% or 100",
  mapSource: 'a map name, `map id N` or `map "/pinned/path"`',
  mapRef: 'a map name, `id N` or a "/pinned/path"',
  fieldRef: "a field like qps or key.pid",
  probeName: "a probe name like syscalls",
};

/** gmsParser: the one parser instance; set `input`, then call a rule. Not reentrant. */
export const gmsParser = new GmsParser();

/** StatementCst: the CST of one statement, as `gmsParser.statement()` returns it. */
export type StatementCst = CstNode;
