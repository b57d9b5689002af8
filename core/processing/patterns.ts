// zod/mini, like the event schema: the responses function parses these at cold start.
import * as z from "zod/mini";

const isValidRegex = (source: string) => {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
};

const name = z.string().check(z.minLength(1));

/** A reply pattern that triggers a notification; configured per stack. */
export const NotificationPatternSchema = z.discriminatedUnion("type", [
  z.strictObject({ name, type: z.literal("keyword"), keyword: z.string().check(z.minLength(1)) }),
  z.strictObject({
    name,
    type: z.literal("regex"),
    pattern: z.string().check(z.minLength(1), z.refine(isValidRegex, "must be a valid regular expression")),
    flags: z.optional(z.string().check(z.regex(/^[imsu]*$/, "flags may only be i, m, s, u"))),
  }),
  z.strictObject({
    name,
    type: z.literal("sentiment"),
    sentiment: z.enum(["positive", "negative", "neutral"]),
  }),
]);

export type NotificationPattern = z.infer<typeof NotificationPatternSchema>;
