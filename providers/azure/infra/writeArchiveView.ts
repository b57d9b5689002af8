/** Regenerates queries/azure/events-raw-view.sql from the archive schema: `npm run -s queries:azure`. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { SYNAPSE_VIEW_FILE, synapseEventsRawViewSql } from "./archiveView";

writeFileSync(join(import.meta.dirname, "..", "..", "..", SYNAPSE_VIEW_FILE), synapseEventsRawViewSql());
