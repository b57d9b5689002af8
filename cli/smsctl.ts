/**
 * smsctl: the operator's command line (`npm run -s smsctl -- <command> --help`).
 *
 * Adding a command is one line here. Write cli/commands/<name>.ts so that it calls
 * `registerCommand((program) => program.command("<name>")...)` from ./args (see commands/decode.ts),
 * then import it below for its registration: `import "./commands/<name>";`
 * Shared helpers (fail, readInput, exit statuses) live in ./args.
 */
import "./commands/campaign";
import "./commands/classify";
import "./commands/compliance";
import "./commands/consent";
import "./commands/decode";
import "./commands/erase";
import "./commands/journey";
import "./commands/query";
import "./commands/replay";
import "./commands/review";
import { runCli } from "./args";

await runCli(process.argv);
