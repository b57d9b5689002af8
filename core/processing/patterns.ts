import { z } from "zod";

const isValidRegex = (source: string) => {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
};

/** A reply pattern that triggers a notification; configured per stack. */
export const NotificationPatternSchema = z.discriminatedUnion("type", [
  z.object({ name: z.string().min(1), type: z.literal("keyword"), keyword: z.string().min(1) }).strict(),
  z
    .object({
      name: z.string().min(1),
      type: z.literal("regex"),
      pattern: z.string().min(1).refine(isValidRegex, "must be a valid regular expression"),
      flags: z
        .string()
        .regex(/^[imsu]*$/, "flags may only be i, m, s, u")
        .optional(),
    })
    .strict(),
  z
    .object({
      name: z.string().min(1),
      type: z.literal("sentiment"),
      sentiment: z.enum(["positive", "negative", "neutral"]),
    })
    .strict(),
]);

export type NotificationPattern = z.infer<typeof NotificationPatternSchema>;
