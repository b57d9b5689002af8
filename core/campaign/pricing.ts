/** Price of one outbound message part to a country, plus the per-part carrier fee, in USD. */
export interface CountryPrice {
  basePriceUsd: number;
  carrierFeeUsd: number;
}

export type PriceTable = Record<string, CountryPrice> & { default: CountryPrice };

/**
 * Indicative list prices (AWS End User Messaging, 2026) for estimates; deployments pass their own
 * table through config. US/CA carrier fees are the average 10DLC pass-through fee.
 */
export const DEFAULT_PRICE_TABLE: PriceTable = {
  US: { basePriceUsd: 0.00581, carrierFeeUsd: 0.003 },
  CA: { basePriceUsd: 0.00575, carrierFeeUsd: 0.0 },
  GB: { basePriceUsd: 0.0336, carrierFeeUsd: 0 },
  DE: { basePriceUsd: 0.0967, carrierFeeUsd: 0 },
  FR: { basePriceUsd: 0.0786, carrierFeeUsd: 0 },
  IN: { basePriceUsd: 0.0024, carrierFeeUsd: 0 },
  default: { basePriceUsd: 0.05, carrierFeeUsd: 0 },
};

export interface MessageCost {
  priceUsd: number;
  carrierFeeUsd: number;
  totalUsd: number;
}

export function estimateCost(country: string | undefined, parts: number, table: PriceTable): MessageCost {
  const price = (country && table[country]) || table.default;
  const priceUsd = price.basePriceUsd * parts;
  const carrierFeeUsd = price.carrierFeeUsd * parts;
  return { priceUsd, carrierFeeUsd, totalUsd: priceUsd + carrierFeeUsd };
}

/** Rounds a running USD total for display without float noise. */
export function roundUsd(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
