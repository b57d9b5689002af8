/**
 * What the responses function's automatic answers (HELP text, STOP confirmation) cost. They are
 * sent outside any campaign and publish no send event, so the archive's campaign cost never
 * includes them: the report shows them apart.
 */
import { measureMessage } from "../../../core/campaign/encoding";
import { normalizePhoneNumber } from "../../../core/campaign/phone";
import { DEFAULT_PRICE_TABLE, estimateCost, type PriceTable, roundUsd } from "../../../core/campaign/pricing";
import type { SendRequest } from "../../../core/ports";

export interface AnswerCost {
  messages: number;
  parts: number;
  costUsd: number;
}

export interface AutoReplyCost {
  help: AnswerCost;
  stop: AnswerCost;
  costUsd: number;
}

/** The responses function keys each answer `<eventId>:<purpose>` (see core/processing/responses.ts). */
const purposeOf = (request: SendRequest) =>
  request.idempotencyKey.slice(request.idempotencyKey.lastIndexOf(":") + 1);

const noAnswers = (): AnswerCost => ({ messages: 0, parts: 0, costUsd: 0 });

/** Priced as the carrier prices any message: by destination country and parts. */
export function autoReplyCostOf(
  sent: readonly SendRequest[],
  table: PriceTable = DEFAULT_PRICE_TABLE,
): AutoReplyCost {
  const cost: AutoReplyCost = { help: noAnswers(), stop: noAnswers(), costUsd: 0 };
  for (const request of sent) {
    const purpose = purposeOf(request);
    const answers = purpose === "help" ? cost.help : purpose === "stop-confirmation" ? cost.stop : undefined;
    if (!answers) continue;
    const parts = measureMessage(request.body).segments;
    answers.messages++;
    answers.parts += parts;
    answers.costUsd += estimateCost(normalizePhoneNumber(request.to)?.country, parts, table).totalUsd;
  }
  cost.help.costUsd = roundUsd(cost.help.costUsd);
  cost.stop.costUsd = roundUsd(cost.stop.costUsd);
  cost.costUsd = roundUsd(cost.help.costUsd + cost.stop.costUsd);
  return cost;
}
