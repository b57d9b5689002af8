import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  blankPlaceholders,
  CompiledTemplate,
  RenderMemo,
  renderTemplate,
} from "../../../core/campaign/template";

const NAMES = ["first_name", "tier", "city", "subscriber_id"];
const piece = fc.oneof(
  fc.constantFrom("Hi ", ", ", "Reply STOP. ", "{{", "}}", "|", "Zoë ", ""),
  fc
    .tuple(
      fc.constantFrom(...NAMES),
      fc.constantFrom(" ", ""),
      fc.option(fc.constantFrom("", " there ", "friend")),
    )
    .map(
      ([name, space, fallback]) => `{{${space}${name}${space}${fallback === null ? "" : `|${fallback}`}}}`,
    ),
);

describe("a compiled template", () => {
  it("renders and finds blanks exactly as renderTemplate and blankPlaceholders do", () => {
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 8 }).map((pieces) => pieces.join("")),
        fc.dictionary(fc.constantFrom(...NAMES), fc.constantFrom("", "Ana", "gold", "Łukasz")),
        (template, values) => {
          const compiled = new CompiledTemplate(template);
          const read = (name: string) => values[name];
          expect(compiled.render(read)).toBe(renderTemplate(template, values));
          const blanks: string[] = [];
          compiled.forEachBlank(read, (name) => blanks.push(name));
          expect(blanks).toEqual(blankPlaceholders(template, values));
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it("remembers a derived value per distinct inserted values, and gives what rendering would, even after it fills up", () => {
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 6 }).map((pieces) => pieces.join("")),
        fc.array(fc.dictionary(fc.constantFrom(...NAMES), fc.constantFrom("", "Ana", "Bo", "gold")), {
          maxLength: 30,
        }),
        (template, rows) => {
          const compiled = new CompiledTemplate(template);
          let derived = 0;
          const memo = new RenderMemo(
            compiled,
            (body) => {
              derived++;
              return `<${body}>`;
            },
            5,
          );
          for (const values of rows) {
            expect(memo.get((name) => values[name])).toBe(`<${renderTemplate(template, values)}>`);
          }
          expect(derived).toBeLessThanOrEqual(rows.length);
        },
      ),
      { numRuns: 1_000 },
    );
  });
});
