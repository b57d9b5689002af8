import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DirectoryArchive } from "../../cli/commands/replay";
import { archiveStoreContract } from "./archive.contract";

const root = mkdtempSync(join(tmpdir(), "sms-archive-"));
archiveStoreContract("directory (smsctl replay --dir)", () => new DirectoryArchive(root));
