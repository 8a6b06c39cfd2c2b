import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { ISerializedGast } from "chevrotain";
import { gmsParser } from "./parser";

/**
 * diagrams: Chevrotain's syntax diagrams of the gms grammar as one HTML file that works
 * offline. Chevrotain's own `createSyntaxDiagramsCode` links its scripts and style sheet from
 * a CDN and draws the diagrams in the browser; here the same scripts, from the chevrotain
 * package in node_modules, draw them once at build time, and the page holds the SVG, the style
 * sheet and the small script that highlights a rule's uses, all inline.
 *
 *     bun grammar/diagrams.ts build/grammar.html
 */

/** chevrotainDiagramsDir: `node_modules/chevrotain/diagrams`, wherever the package is. */
function chevrotainDiagramsDir(): string {
  // The package's entry point is lib/src/api.js.
  const entry = Bun.resolveSync("chevrotain", import.meta.dir);
  return join(dirname(entry), "..", "..", "diagrams");
}

interface DiagramsBuilder {
  buildSyntaxDiagramsText(grammar: ISerializedGast[]): string;
}

/**
 * renderDiagrams: the HTML of one header and one SVG diagram per rule, drawn by Chevrotain's
 * diagram builder. Its scripts are written for a browser (or AMD, or CommonJS); run without
 * any of those they hang their exports on `this`, which is given here as a plain object.
 */
export function renderDiagrams(grammar: ISerializedGast[], dir = chevrotainDiagramsDir()): string {
  const root: { diagrams_builder?: DiagramsBuilder } = {};
  for (const file of ["vendor/railroad-diagrams.js", "src/diagrams_builder.js"]) {
    const code = readFileSync(join(dir, file), "utf8");
    // The parameters hide any `define`, `module` and `exports` of this module from the script.
    new Function("define", "module", "exports", code).call(root, undefined, undefined, undefined);
  }
  if (!root.diagrams_builder) throw new Error(`renderDiagrams: no diagram builder in ${dir}`);
  return root.diagrams_builder.buildSyntaxDiagramsText(grammar);
}

/** diagramsHtml: the whole page for the gms grammar. */
export function diagramsHtml(dir = chevrotainDiagramsDir()): string {
  const css = readFileSync(join(dir, "diagrams.css"), "utf8");
  const behavior = readFileSync(join(dir, "src/diagrams_behavior.js"), "utf8");
  const diagrams = renderDiagrams(gmsParser.getSerializedGastProductions(), dir);
  return `<!DOCTYPE html>
<!-- This is a generated file: bun grammar/diagrams.ts OUT.html -->
<html lang="en">
<head>
<meta charset="utf-8">
<title>The gms grammar</title>
<style>
  body { background-color: hsl(30, 20%, 95%); }
</style>
<style>
${css}
</style>
</head>
<body>
<h1>The gms grammar</h1>
<p>One diagram per rule; <code>statement</code> is where a statement starts.
Hover over a rule's name to see where it is used, click a use to go to the rule.</p>
<div id="diagrams" align="center">
${diagrams}
</div>
<script>
${behavior.replaceAll("</script", "<\\/script")}
</script>
<script>
  diagrams_behavior.initDiagramsBehavior();
</script>
</body>
</html>
`;
}

if (import.meta.main) {
  const out = process.argv[2];
  if (out === undefined) {
    console.error("usage: bun grammar/diagrams.ts OUT.html");
    process.exit(2);
  }
  writeFileSync(out, diagramsHtml());
}
