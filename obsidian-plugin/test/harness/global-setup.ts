// Runs once before the tests: when the server jar the end-to-end tests start is missing (a fresh
// clone where only `npm ci && npm test` was run), builds it with the repository's Maven wrapper,
// so those tests run instead of skipping. Under `./mvnw verify` the jar is already there (the
// obsidian-plugin module comes after client-app) and nothing is built. VAULTSYNC_NO_JAR_BUILD=1
// turns the build off (the tests then skip, or fail under CI=true, naming the command).
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { JAR } from "./server";

export default function setup(): void {
  const root = resolve(__dirname, "../../..");
  const mvnw = resolve(root, "mvnw");
  if (existsSync(JAR) || process.env.VAULTSYNC_NO_JAR_BUILD === "1" || !existsSync(mvnw)) return;
  process.stdout.write(`vaultsync: ${JAR} is missing; building it (./mvnw -B -q -DskipTests package -pl client-app -am)\n`);
  execFileSync(mvnw, ["-B", "-q", "-DskipTests", "package", "-pl", "client-app", "-am"], {
    cwd: root,
    stdio: "inherit",
  });
}
