import { journey } from "../core/campaign/journey";

/**
 * The seed's Welcome Series: welcome now, follow-up one day later. A YES within that day takes the
 * reply branch instead (a thank-you, then done), so the follow-up never reaches someone who answered.
 */
export const welcomeSeries = journey("welcome-series")
  .send("welcome", "Welcome to Acme, {{first_name}}! Reply YES for weekly tips.")
  .branch("answer", { on: { YES: "thank-you" }, timeout: "1d", otherwise: "follow-up" })
  .send("thank-you", "Thanks, {{first_name}}! Your first tip arrives next week.")
  .end()
  .send("follow-up", "How are you finding Acme, {{first_name}}?");
