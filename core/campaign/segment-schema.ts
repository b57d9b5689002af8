/** The segment schema, apart from matchesSegment, so code that only filters (a function bundle) loads no zod. */
import { z } from "zod";

/** One condition over a subscriber attribute; a segment matches when every condition does. */
export const SegmentConditionSchema = z.discriminatedUnion("op", [
  z.object({ attribute: z.string().min(1), op: z.literal("eq"), value: z.string() }).strict(),
  z.object({ attribute: z.string().min(1), op: z.literal("in"), value: z.array(z.string()).min(1) }).strict(),
  z.object({ attribute: z.string().min(1), op: z.literal("exists") }).strict(),
]);
export const SegmentSchema = z.array(SegmentConditionSchema);
