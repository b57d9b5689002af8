import type { Journey } from "../core/campaign/journey";
import { welcomeSeries } from "./welcome-series";

/** Every journey the system runs; the engine and `smsctl journey` look them up by id. */
export const journeyDefinitions: Journey[] = [welcomeSeries];

export const journeysById: ReadonlyMap<string, Journey> = new Map(journeyDefinitions.map((j) => [j.id, j]));

export { welcomeSeries };
