import type { MetricDatum, MetricsSink, MetricUnit } from "../../../core/ports";

/** One HTTP call; the default is fetch, tests inject their own. */
export type IngestionTransport = (request: {
  url: string;
  headers: Record<string, string>;
  body: string;
}) => Promise<{ status: number; body: string }>;

/** The property that carries the datum's unit (Application Insights metrics have no unit field). */
export const UNIT_PROPERTY = "MetricUnit";

export interface AppInsightsMetricsOptions {
  /** `InstrumentationKey=...;IngestionEndpoint=https://...` (APPLICATIONINSIGHTS_CONNECTION_STRING). */
  connectionString: string;
  /** Custom metric namespace, e.g. "SmsCampaigns". */
  namespace: string;
  /** The cloud role name the metrics are filed under. */
  roleName?: string;
  transport?: IngestionTransport;
  /** A bearer token for Entra ID ingestion (when the component disables local auth). */
  getToken?: () => Promise<string>;
}

interface MetricEnvelope {
  name: "Microsoft.ApplicationInsights.Metric";
  time: string;
  iKey: string;
  tags: Record<string, string>;
  data: {
    baseType: "MetricData";
    baseData: {
      ver: 2;
      metrics: { ns: string; name: string; value: number; count: 1 }[];
      properties: Record<string, string>;
    };
  };
}

const DEFAULT_INGESTION = "https://dc.services.visualstudio.com/";

/** Parses an Application Insights connection string (case-insensitive keys). */
export const parseConnectionString = (
  connectionString: string,
): { instrumentationKey: string; ingestionEndpoint: string } => {
  const fields = new Map(
    connectionString
      .split(";")
      .map((part) => part.split("="))
      .filter((pair) => pair.length >= 2)
      .map(([key, ...value]) => [key.trim().toLowerCase(), value.join("=").trim()]),
  );
  const instrumentationKey = fields.get("instrumentationkey");
  if (!instrumentationKey)
    throw new Error("the Application Insights connection string has no InstrumentationKey");
  const endpoint = fields.get("ingestionendpoint") ?? DEFAULT_INGESTION;
  return { instrumentationKey, ingestionEndpoint: endpoint.endsWith("/") ? endpoint : `${endpoint}/` };
};

export const toEnvelope = (
  datum: MetricDatum,
  iKey: string,
  namespace: string,
  roleName?: string,
): MetricEnvelope => ({
  name: "Microsoft.ApplicationInsights.Metric",
  time: datum.timestamp,
  iKey,
  tags: roleName ? { "ai.cloud.role": roleName } : {},
  data: {
    baseType: "MetricData",
    baseData: {
      ver: 2,
      metrics: [{ ns: namespace, name: datum.name, value: datum.value, count: 1 }],
      properties: { ...datum.dimensions, [UNIT_PROPERTY]: datum.unit },
    },
  },
});

/** Reads envelopes back into datums (the tests' read-back, and a check that nothing is lost). */
export const fromEnvelope = (envelope: MetricEnvelope): MetricDatum[] => {
  const { [UNIT_PROPERTY]: unit, ...dimensions } = envelope.data.baseData.properties;
  return envelope.data.baseData.metrics.map((metric) => ({
    name: metric.name,
    value: metric.value,
    unit: (unit ?? "None") as MetricUnit,
    dimensions,
    timestamp: envelope.time,
  }));
};

const fetchTransport: IngestionTransport = async ({ url, headers, body }) => {
  const response = await fetch(url, { method: "POST", headers, body });
  return { status: response.status, body: await response.text() };
};

/**
 * Campaign metrics as Application Insights custom metrics, posted to the ingestion endpoint's
 * `v2.1/track` (no telemetry SDK to load in the function). Alerts read them from the
 * workspace-based component. A partial acceptance (206) or an error status throws, so the batch
 * runner retries and the datums are not silently lost.
 */
export class AppInsightsMetricsSink implements MetricsSink {
  private readonly instrumentationKey: string;
  private readonly url: string;
  private readonly transport: IngestionTransport;

  constructor(private readonly options: AppInsightsMetricsOptions) {
    const parsed = parseConnectionString(options.connectionString);
    this.instrumentationKey = parsed.instrumentationKey;
    this.url = `${parsed.ingestionEndpoint}v2.1/track`;
    this.transport = options.transport ?? fetchTransport;
  }

  async emit(datums: MetricDatum[]): Promise<void> {
    if (datums.length === 0) return;
    const envelopes = datums.map((datum) =>
      toEnvelope(datum, this.instrumentationKey, this.options.namespace, this.options.roleName),
    );
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (this.options.getToken) headers.authorization = `Bearer ${await this.options.getToken()}`;
    const response = await this.transport({ url: this.url, headers, body: JSON.stringify(envelopes) });
    if (response.status !== 200) {
      throw new Error(
        `Application Insights ingestion answered ${response.status} for ${envelopes.length} metrics: ${response.body.slice(0, 500)}`,
      );
    }
  }
}
