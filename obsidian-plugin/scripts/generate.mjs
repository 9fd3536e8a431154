// Regenerates src/gen from ../transport-grpc/src/main/proto with buf and protoc-gen-es (both from
// node_modules, nothing downloaded). test/generated.test.ts fails when src/gen is out of date.
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";

rmSync("src/gen", { recursive: true, force: true });
execFileSync("npx", ["buf", "generate"], { stdio: "inherit" });
