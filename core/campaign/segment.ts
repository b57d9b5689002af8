import type { z } from "zod";
import type { SegmentConditionSchema, SegmentSchema } from "./segment-schema";

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
