import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DirectoryArchive } from "../../providers/local/runtime/directory-archive";
import { archiveStoreContract } from "./archive.contract";

const root = mkdtempSync(join(tmpdir(), "sms-archive-"));
archiveStoreContract("directory (smsctl replay --dir)", () => new DirectoryArchive(root));
archiveStoreContract(
  "directory under a key prefix (smsctl replay --dir --prefix)",
  () => new DirectoryArchive(root, { keyPrefix: "stack-a/" }),
);
