import { CstParser, LLkLookaheadStrategy, type CstNode, type ILookaheadStrategy, type IOrAlt } from "chevrotain";
import {
  All,
  allTokens,
  SKIP_VALIDATIONS,
  And,
  As,
  Asc,
  Assign,
  By,
  Comma,
  Desc,
  Describe,
  Save,
  Dot,
  Duration,
  Equal,
  Estimate,
  Every,
  For,
  Colon,
  Tracepoint,
  Help,
  Budget,
  Stream,
  Explain,
  False,
  File,
  Format,
  Stats,
  Percpu,
  From,
  Greater,
  GreaterEqual,
  Id,
  Identifier,
  In,
  Keyword,
  Less,
  LessEqual,
  Let,
  Limit,
  LParen,
  MapKw,
  Maps,
  Match,
  Minus,
  Modulo,
  Newline,
  Not,
  NotEqual,
  Null,
  NumberLit,
  Or,
  Order,
  Per,
  Percent,
  Plus,
  Probes,
  Programs,
  RParen,
  Sample,
  Seed,
  Select,
  Semicolon,
  SetKw,
  Show,
  Size,
  Slash,
  SoftKeyword,
  Star,
  Stop,
  StringLit,
  To,
  Trace,
  True,
  Using,
  Wait,
  Watch,
  Weighted,
  Where,
} from "./tokens";

/**
 * GmsParser: the gms grammar. The entry rule is `statement`: a caller splits the token stream
 * into statements (at `;` and at the newlines that end one) and parses one statement at a time
 * (terminator included), so an error in one statement can never swallow or hide the next one.
 *
 * Optional clauses after a source come in any order; the grammar lets each come several times
 * and the AST builder reports a repeat, which reads better than a syntax error. Likewise a
 * comparison takes any number of comparison operators and the builder reports a chain
 * (`a < b < c`), since comparisons do not associate.
 */

/** Chevrotain's default lookahead depth, which the parser and its strategy must agree on. */
const MAX_LOOKAHEAD = 3;

/**
 * lazyLookahead: Chevrotain's own LL(k) lookahead, but each alternation's or repetition's
 * lookahead function is built the first time the parser reaches it rather than all of them
 * when the parser is made: building them all took about half of the parser's construction
 * (7-13 ms of every gms start), and a statement reaches few. The functions are the very ones
 * Chevrotain builds, so parsing is unchanged; the grammar's validations (under `bun test`) are
 * the strategy's own.
 */
function lazyLookahead(): ILookaheadStrategy {
  const llk = new LLkLookaheadStrategy({ maxLookahead: MAX_LOOKAHEAD });
  return {
    validate: (options) => llk.validate(options),
    initialize: (options) => llk.initialize?.(options),
    buildLookaheadForAlternation(options) {
      let built: ((orAlts?: IOrAlt<unknown>[]) => number | undefined) | undefined;
      return function (this: unknown, orAlts?: IOrAlt<unknown>[]) {
        built ??= llk.buildLookaheadForAlternation(options);
        return built.call(this, orAlts);
      };
    },
    buildLookaheadForOptional(options) {
      let built: (() => boolean) | undefined;
      return function (this: unknown) {
        built ??= llk.buildLookaheadForOptional(options);
        return built.call(this);
      };
    },
  };
}

export class GmsParser extends CstParser {
  /**
   * Error recovery is off: a statement is parsed alone and only its first error is reported,
   * and a CST recovered from an error is never used, so recovery would only cost time, and
   * much of it (re-synchronising through every rule of a deeply nested expression took 50 ms
   * at 80 parentheses, against 6 ms without).
   */
  constructor() {
    super(allTokens, {
      recoveryEnabled: false,
      nodeLocationTracking: "full",
      skipValidations: SKIP_VALIDATIONS,
      maxLookahead: MAX_LOOKAHEAD,
      lookaheadStrategy: lazyLookahead(),
    });
    this.performSelfAnalysis();
  }

  statement = this.RULE("statement", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.explainStatement) },
      { ALT: () => this.SUBRULE(this.simpleStatement) },
    ]);
    this.OPTION(() => this.SUBRULE(this.terminator));
  });

  terminator = this.RULE("terminator", () => {
    this.OR([{ ALT: () => this.CONSUME(Newline) }, { ALT: () => this.CONSUME(Semicolon) }]);
  });

  /** explainStatement: `explain` before any statement but another `explain`. */
  explainStatement = this.RULE("explainStatement", () => {
    this.CONSUME(Explain);
    this.SUBRULE(this.simpleStatement);
  });

  simpleStatement = this.RULE("simpleStatement", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.sampleStatement) },
      { ALT: () => this.SUBRULE(this.queryStatement) },
      { ALT: () => this.SUBRULE(this.estimateStatement) },
      { ALT: () => this.SUBRULE(this.traceStatement) },
      { ALT: () => this.SUBRULE(this.stopStatement) },
      { ALT: () => this.SUBRULE(this.waitStatement) },
      { ALT: () => this.SUBRULE(this.showStatement) },
      { ALT: () => this.SUBRULE(this.describeStatement) },
      { ALT: () => this.SUBRULE(this.saveStatement) },
      { ALT: () => this.SUBRULE(this.letStatement) },
      { ALT: () => this.SUBRULE(this.setStatement) },
      { ALT: () => this.SUBRULE(this.watchStatement) },
      { ALT: () => this.SUBRULE(this.helpStatement) },
    ]);
  });

  /** helpStatement: `help`, or `help WORD` for one statement (any keyword or name). */
  helpStatement = this.RULE("helpStatement", () => {
    this.CONSUME(Help);
    this.OPTION(() => this.OR([{ ALT: () => this.CONSUME(Keyword) }, { ALT: () => this.CONSUME(Identifier) }]));
  });

  /** sampleStatement: `sample SIZE [per FIELD] from SOURCE` and its clauses. */
  sampleStatement = this.RULE("sampleStatement", () => {
    this.CONSUME(Sample);
    this.SUBRULE(this.sampleSize);
    this.OPTION(() => {
      this.CONSUME(Per);
      this.SUBRULE(this.fieldRef);
    });
    this.CONSUME(From);
    this.SUBRULE(this.source);
    this.MANY(() => {
      this.OR([
        { ALT: () => this.SUBRULE(this.weightedClause) },
        { ALT: () => this.SUBRULE(this.whereClause) },
        { ALT: () => this.SUBRULE(this.seedClause) },
        { ALT: () => this.SUBRULE(this.limitClause) },
        { ALT: () => this.SUBRULE(this.forClause) },
        { ALT: () => this.SUBRULE(this.toClause) },
      ]);
    });
  });

  sampleSize = this.RULE("sampleSize", () => {
    this.OR([{ ALT: () => this.CONSUME(Percent) }, { ALT: () => this.CONSUME(NumberLit) }]);
  });

  /** queryStatement: the plain query, `[select PROJ, ...] from SOURCE` and its clauses. */
  queryStatement = this.RULE("queryStatement", () => {
    this.OPTION(() => {
      this.CONSUME(Select);
      this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.projection) });
    });
    this.CONSUME(From);
    this.SUBRULE(this.source);
    this.MANY(() => {
      this.OR([
        { ALT: () => this.SUBRULE(this.whereClause) },
        { ALT: () => this.SUBRULE(this.orderClause) },
        { ALT: () => this.SUBRULE(this.limitClause) },
        { ALT: () => this.SUBRULE(this.forClause) },
        { ALT: () => this.SUBRULE(this.toClause) },
      ]);
    });
  });

  /** forClause: `for DURATION`: how long a stream (a tracepoint) is read. */
  forClause = this.RULE("forClause", () => {
    this.CONSUME(For);
    this.CONSUME(Duration);
  });

  /** projection: one column of a `select`, `EXPR [as NAME]`. */
  projection = this.RULE("projection", () => {
    this.SUBRULE(this.expression);
    this.OPTION(() => this.SUBRULE(this.alias));
  });

  alias = this.RULE("alias", () => {
    this.CONSUME(As);
    this.SUBRULE(this.name);
  });

  /**
   * estimateStatement: `estimate AGG, ... from SOURCE [where EXPR] using sample SIZE` and the
   * clauses of the sample.
   */
  estimateStatement = this.RULE("estimateStatement", () => {
    this.CONSUME(Estimate);
    this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.aggregate) });
    this.CONSUME(From);
    this.SUBRULE(this.source);
    this.OPTION(() => this.SUBRULE(this.whereClause));
    this.SUBRULE(this.usingClause);
    this.MANY(() => {
      this.OR([
        { ALT: () => this.SUBRULE(this.weightedClause) },
        { ALT: () => this.SUBRULE(this.seedClause) },
        { ALT: () => this.SUBRULE(this.toClause) },
      ]);
    });
  });

  /** aggregate: `sum(EXPR)`, `count()`, `avg(EXPR)` (the name is checked by the AST builder). */
  aggregate = this.RULE("aggregate", () => {
    this.SUBRULE(this.name);
    this.SUBRULE(this.argumentList);
    this.OPTION(() => this.SUBRULE(this.alias));
  });

  usingClause = this.RULE("usingClause", () => {
    this.CONSUME(Using);
    this.CONSUME(Sample);
    this.SUBRULE(this.sampleSize);
  });

  /** source: `map REF`, `file "dump.json"`, `tracepoint CATEGORY:NAME`, `stream NAME`, or a bare map name. */
  source = this.RULE("source", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(Tracepoint);
          this.SUBRULE2(this.name, { LABEL: "category" });
          this.CONSUME(Colon);
          this.SUBRULE3(this.name, { LABEL: "event" });
        },
      },
      {
        ALT: () => {
          this.CONSUME(Stream);
          this.SUBRULE4(this.name, { LABEL: "stream" });
        },
      },
      {
        ALT: () => {
          this.CONSUME(MapKw);
          this.SUBRULE(this.mapRef);
        },
      },
      {
        ALT: () => {
          this.CONSUME(File);
          this.CONSUME(StringLit);
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
    this.SUBRULE(this.expression);
  });

  whereClause = this.RULE("whereClause", () => {
    this.CONSUME(Where);
    this.SUBRULE(this.expression);
  });

  seedClause = this.RULE("seedClause", () => {
    this.CONSUME(Seed);
    this.CONSUME(NumberLit);
  });

  toClause = this.RULE("toClause", () => {
    this.CONSUME(To);
    this.CONSUME(StringLit);
  });

  orderClause = this.RULE("orderClause", () => {
    this.CONSUME(Order);
    this.CONSUME(By);
    this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.orderKey) });
  });

  orderKey = this.RULE("orderKey", () => {
    this.SUBRULE(this.expression);
    this.OPTION(() => {
      this.OR([{ ALT: () => this.CONSUME(Asc) }, { ALT: () => this.CONSUME(Desc) }]);
    });
  });

  limitClause = this.RULE("limitClause", () => {
    this.CONSUME(Limit);
    this.CONSUME(NumberLit);
  });

  /** fieldRef: `qps`, `key.pid`; after a dot any word is a field name, keywords included. */
  fieldRef = this.RULE("fieldRef", () => {
    this.OR1([{ ALT: () => this.SUBRULE(this.name) }, { ALT: () => this.CONSUME(Id) }]);
    this.MANY(() => this.SUBRULE(this.fieldSegment));
  });

  fieldSegment = this.RULE("fieldSegment", () => {
    this.CONSUME(Dot);
    this.OR([{ ALT: () => this.CONSUME(Identifier) }, { ALT: () => this.CONSUME(Keyword) }]);
  });

  /** traceStatement: `trace NAME [sample P%] [where EXPR]`, the clauses in either order. */
  traceStatement = this.RULE("traceStatement", () => {
    this.CONSUME(Trace);
    this.SUBRULE(this.probeName);
    this.MANY(() => {
      this.OR([
        { ALT: () => this.SUBRULE(this.traceSample) },
        { ALT: () => this.SUBRULE(this.whereClause) },
      ]);
    });
  });

  traceSample = this.RULE("traceSample", () => {
    this.CONSUME(Sample);
    this.CONSUME(Percent);
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

  /** showStatement: `show maps|programs|probes [where EXPR] [order by ...] [limit N]`. */
  showStatement = this.RULE("showStatement", () => {
    this.CONSUME(Show);
    this.OR([
      { ALT: () => this.CONSUME(Maps) },
      { ALT: () => this.CONSUME(Programs) },
      { ALT: () => this.CONSUME(Probes) },
    ]);
    this.MANY(() => {
      this.OR2([
        { ALT: () => this.SUBRULE(this.whereClause) },
        { ALT: () => this.SUBRULE(this.orderClause) },
        { ALT: () => this.SUBRULE(this.limitClause) },
      ]);
    });
  });

  /** describeStatement: `describe SOURCE` (`describe map events`, `describe file "x.json"`). */
  describeStatement = this.RULE("describeStatement", () => {
    this.CONSUME(Describe);
    this.SUBRULE(this.source);
  });

  /** saveStatement: `save SOURCE to "x.json"`: a snapshot to read offline with `file`. */
  saveStatement = this.RULE("saveStatement", () => {
    this.CONSUME(Save);
    this.SUBRULE(this.source);
    this.SUBRULE(this.toClause);
  });

  letStatement = this.RULE("letStatement", () => {
    this.CONSUME(Let);
    this.SUBRULE(this.name);
    this.CONSUME(Assign);
    this.SUBRULE(this.expression);
  });

  /**
   * setStatement: `set format NAME` | `set seed N` | `set stats on|off` | `set percpu sum|each`
   * (names checked later).
   */
  setStatement = this.RULE("setStatement", () => {
    this.CONSUME(SetKw);
    this.OR([
      {
        ALT: () => {
          this.CONSUME(Format);
          this.SUBRULE(this.formatName);
        },
      },
      {
        ALT: () => {
          this.CONSUME(Seed);
          this.CONSUME(NumberLit);
        },
      },
      {
        ALT: () => {
          this.CONSUME(Stats);
          this.SUBRULE(this.onOff);
        },
      },
      {
        ALT: () => {
          this.CONSUME(Percpu);
          this.SUBRULE(this.perCpuMode);
        },
      },
      {
        ALT: () => {
          this.CONSUME(Budget);
          this.OR2([{ ALT: () => this.CONSUME(Percent) }, { ALT: () => this.SUBRULE2(this.onOff, { LABEL: "budgetOff" }) }]);
        },
      },
    ]);
  });

  perCpuMode = this.RULE("perCpuMode", () => {
    this.SUBRULE(this.name);
  });

  onOff = this.RULE("onOff", () => {
    this.SUBRULE(this.name);
  });

  formatName = this.RULE("formatName", () => {
    this.SUBRULE(this.name);
  });

  /** watchStatement: `watch every D QUERY`, QUERY a sample, plain query, estimate or show. */
  watchStatement = this.RULE("watchStatement", () => {
    this.CONSUME(Watch);
    this.CONSUME(Every);
    this.CONSUME(Duration);
    this.OR([
      { ALT: () => this.SUBRULE(this.sampleStatement) },
      { ALT: () => this.SUBRULE(this.queryStatement) },
      { ALT: () => this.SUBRULE(this.estimateStatement) },
      { ALT: () => this.SUBRULE(this.showStatement) },
    ]);
  });

  // Expressions, loosest first: or, and, not, comparisons (and ~, in), + -, * / %, unary -.

  expression = this.RULE("expression", () => {
    this.SUBRULE(this.andExpression);
    this.MANY(() => {
      this.CONSUME(Or);
      this.SUBRULE2(this.andExpression);
    });
  });

  andExpression = this.RULE("andExpression", () => {
    this.SUBRULE(this.notExpression);
    this.MANY(() => {
      this.CONSUME(And);
      this.SUBRULE2(this.notExpression);
    });
  });

  notExpression = this.RULE("notExpression", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(Not);
          this.SUBRULE(this.notExpression);
        },
      },
      { ALT: () => this.SUBRULE(this.comparison) },
    ]);
  });

  /** comparison: `a OP b`, `a in (...)`, `a not in (...)`; a chain is reported when built. */
  comparison = this.RULE("comparison", () => {
    this.SUBRULE(this.additive);
    this.MANY(() => {
      this.OR([
        {
          ALT: () => {
            this.SUBRULE(this.comparisonOperator);
            this.SUBRULE2(this.additive);
          },
        },
        { ALT: () => this.SUBRULE(this.inList) },
      ]);
    });
  });

  comparisonOperator = this.RULE("comparisonOperator", () => {
    this.OR([
      { ALT: () => this.CONSUME(Equal) },
      { ALT: () => this.CONSUME(NotEqual) },
      { ALT: () => this.CONSUME(Less) },
      { ALT: () => this.CONSUME(LessEqual) },
      { ALT: () => this.CONSUME(Greater) },
      { ALT: () => this.CONSUME(GreaterEqual) },
      { ALT: () => this.CONSUME(Match) },
    ]);
  });

  inList = this.RULE("inList", () => {
    this.OPTION(() => this.CONSUME(Not));
    this.CONSUME(In);
    this.CONSUME(LParen);
    this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.expression) });
    this.CONSUME(RParen);
  });

  additive = this.RULE("additive", () => {
    this.SUBRULE(this.multiplicative);
    this.MANY(() => {
      this.OR([{ ALT: () => this.CONSUME(Plus) }, { ALT: () => this.CONSUME(Minus) }]);
      this.SUBRULE2(this.multiplicative);
    });
  });

  multiplicative = this.RULE("multiplicative", () => {
    this.SUBRULE(this.unary);
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(Star) },
        { ALT: () => this.CONSUME(Slash) },
        { ALT: () => this.CONSUME(Modulo) },
      ]);
      this.SUBRULE2(this.unary);
    });
  });

  unary = this.RULE("unary", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(Minus);
          this.SUBRULE(this.unary);
        },
      },
      { ALT: () => this.SUBRULE(this.primary) },
    ]);
  });

  primary = this.RULE("primary", () => {
    this.OR([
      { ALT: () => this.CONSUME(NumberLit) },
      { ALT: () => this.CONSUME(StringLit) },
      { ALT: () => this.CONSUME(Percent) },
      { ALT: () => this.CONSUME(Duration) },
      { ALT: () => this.CONSUME(Size) },
      { ALT: () => this.CONSUME(True) },
      { ALT: () => this.CONSUME(False) },
      { ALT: () => this.CONSUME(Null) },
      { ALT: () => this.SUBRULE(this.parenthesized) },
      { ALT: () => this.SUBRULE(this.call) },
      { ALT: () => this.SUBRULE(this.fieldRef) },
    ]);
  });

  parenthesized = this.RULE("parenthesized", () => {
    this.CONSUME(LParen);
    this.SUBRULE(this.expression);
    this.CONSUME(RParen);
  });

  /** call: `name(args)`; told from a field by the `(` after the name. */
  call = this.RULE("call", () => {
    this.SUBRULE(this.name);
    this.SUBRULE(this.argumentList);
  });

  argumentList = this.RULE("argumentList", () => {
    this.CONSUME(LParen);
    this.MANY_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.expression) });
    this.CONSUME(RParen);
  });

  /** name: an identifier, or a soft keyword used as one. */
  name = this.RULE("name", () => {
    this.OR([{ ALT: () => this.CONSUME(Identifier) }, { ALT: () => this.CONSUME(SoftKeyword) }]);
  });
}

/**
 * ruleLabels: how a diagnostic names a rule that is expected next, where the list of its first
 * tokens would read badly ("a name or 'map'"). A rule is named this way only when exactly its
 * first tokens are what may come next; the first rule of this list that fits wins.
 */
export const ruleLabels: Record<string, string> = {
  sampleSize: "a sample size like 1% or 100",
  source: 'a map name, `map id N`, `map "/pinned/path"`, `file "dump.json"`, `tracepoint category:name` or `stream exec`',
  mapRef: 'a map name, `id N` or a "/pinned/path"',
  fieldRef: "a field like qps or key.pid",
  probeName: "a probe name like syscalls",
  formatName: "a format: table, json or csv",
  onOff: "on or off",
  perCpuMode: "sum or each",
  aggregate: "an aggregate like sum(qps) or count()",
  expression: "an expression",
  // An operand after an operator: what may come is an expression, if not every kind of one.
  andExpression: "an expression",
  notExpression: "an expression",
  additive: "an expression",
  multiplicative: "an expression",
  unary: "an expression",
};

/** gmsParser: the one parser instance; set `input`, then call a rule. Not reentrant. */
export const gmsParser = new GmsParser();

/** StatementCst: the CST of one statement, as `gmsParser.statement()` returns it. */
export type StatementCst = CstNode;
