import { describe, expect, test } from "bun:test";
import { diagramsHtml } from "./diagrams";
import { gmsParser } from "./parser";

describe("syntax diagrams", () => {
  const html = diagramsHtml();

  test("there is a drawn diagram for every rule", () => {
    const rules = Object.keys(gmsParser.getGAstProductions());
    expect(rules.length).toBeGreaterThan(30);
    for (const rule of rules) {
      expect({ rule, drawn: html.includes(`<h2 class="diagramHeader">${rule}</h2><svg`) }).toEqual({
        rule,
        drawn: true,
      });
    }
  });

  test("the page needs nothing from the network", () => {
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link[^>]+href=/);
    expect(html).toContain("svg.railroad-diagram path");
    expect(html).toContain("initDiagramsBehavior");
  });

  test("keywords appear in the diagrams as the user types them", () => {
    expect(html).toContain(">'weighted'</text>");
    expect(html).toContain(">a percentage like 1%</text>");
  });
});
