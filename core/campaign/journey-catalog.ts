import type { CampaignStore } from "../ports";
import { journeyOfCampaign } from "./campaign";
import type { Journey } from "./journey";

/**
 * The journeys a consumer can route replies for: the code's own, and every campaign launched into
 * the stack, read from its store on first use. A campaign's steps never change after launch, so a
 * journey once found stays cached for the life of the function instance.
 */
export class JourneyCatalog {
  private readonly known = new Map<string, Journey>();

  constructor(
    code: readonly Journey[],
    private readonly campaigns?: Pick<CampaignStore, "get">,
  ) {
    for (const definition of code) this.known.set(definition.id, definition);
  }

  async get(journeyId: string): Promise<Journey | undefined> {
    const cached = this.known.get(journeyId);
    if (cached || !this.campaigns) return cached;
    const record = await this.campaigns.get(journeyId);
    if (!record) return undefined;
    const found = journeyOfCampaign(record);
    this.known.set(journeyId, found);
    return found;
  }
}
