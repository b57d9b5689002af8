/**
 * Child process of campaign.bench.ts: plans the million-row CSV at argv[2], checks the counts
 * against argv[3] (JSON) and prints the peak heap in MB, sampled while it plans.
 */
import { planFile } from "./campaign.bench";

const [path, expectedJson] = process.argv.slice(2);
let peak = process.memoryUsage().heapUsed;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().heapUsed);
}, 10);
const plan = await planFile(path);
clearInterval(sampler);
const counts = {
  invalidNumber: plan.suppressed.invalidNumber,
  duplicate: plan.suppressed.duplicate,
  unknownTimeZone: plan.held.unknownTimeZone,
};
if (plan.audience !== 1_000_000 || JSON.stringify(counts) !== expectedJson) {
  console.error(
    `million-row plan counts ${JSON.stringify(counts)} of ${plan.audience}, expected ${expectedJson}`,
  );
  process.exit(1);
}
console.log(Math.max(peak, process.memoryUsage().heapUsed) / (1024 * 1024));
