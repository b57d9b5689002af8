import { z } from "zod";

/** One condition over a subscriber attribute; a segment matches when every condition does. */
export const SegmentConditionSchema = z.discriminatedUnion("op", [
  z.object({ attribute: z.string().min(1), op: z.literal("eq"), value: z.string() }).strict(),
  z.object({ attribute: z.string().min(1), op: z.literal("in"), value: z.array(z.string()).min(1) }).strict(),
  z.object({ attribute: z.string().min(1), op: z.literal("exists") }).strict(),
]);
export const SegmentSchema = z.array(SegmentConditionSchema);

export type SegmentCondition = z.infer<typeof SegmentConditionSchema>;
export type Segment = z.infer<typeof SegmentSchema>;

function conditionHolds(condition: SegmentCondition, attributes: Record<string, string>): boolean {
  const actual = attributes[condition.attribute];
  switch (condition.op) {
    case "eq":
      return actual === condition.value;
    case "in":
      return actual !== undefined && condition.value.includes(actual);
    case "exists":
      return actual !== undefined && actual !== "";
  }
}

export function matchesSegment(segment: Segment, attributes: Record<string, string>): boolean {
  return segment.every((condition) => conditionHolds(condition, attributes));
}
