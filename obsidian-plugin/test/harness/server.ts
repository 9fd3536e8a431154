// Starts the real vaultsync server (the built jar) on loopback port 0 for end-to-end tests, with a
// fresh data folder and device tokens, and stops it. Used by test/remote, test/e2e and
// test/chromium. Node only (tests), never imported from src/.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { clearTimeout, setTimeout } from "node:timers";

/** The jar `./mvnw -B -DskipTests package -pl client-app -am` builds. */
export const JAR = resolve(__dirname, "../../../client-app/target/vaultsync.jar");

export const BUILD_HINT =
  "build the jar first: ./mvnw -B -DskipTests package -pl client-app -am (npm test builds it when ../mvnw is there, unless VAULTSYNC_NO_JAR_BUILD=1)";

/**
 * Why end-to-end tests cannot run here, or null when they can. Without the jar they skip with
 * that reason, except under CI=true, where a missing jar is a failure (CI builds Java first).
 */
export function serverSkipReason(): string | null {
  if (existsSync(JAR)) return null;
  if (process.env.CI === "true") {
    throw new Error(`${JAR} is missing: ${BUILD_HINT}`);
  }
  return `${JAR} is missing: ${BUILD_HINT}`;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface ServerHandle {
  /** `http://127.0.0.1:PORT` of the gRPC port. */
  grpcUrl: string;
  /** `http://127.0.0.1:PORT` of the HTTP port (the browser face). */
  httpUrl: string;
  /** The first device token (device `tokenNames[0]`). */
  token: string;
  /** Every token, by device name. */
  tokens: Record<string, string>;
  dataDir: string;
  /** Runs the CLI (`java -jar vaultsync.jar ARGS`) in `cwd` (default: a temp folder). */
  cli(args: string[], options?: { cwd?: string; input?: string }): Promise<CliResult>;
  /** Everything the server printed so far. */
  log(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Device names to make tokens for (default ["plugin"]). */
  tokenNames?: string[];
  corsOrigins?: string[];
  extraArgs?: string[];
  /** Startup deadline (default 60 s). */
  timeoutMs?: number;
}

const JAVA_OPTS = ["-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"];

/** Runs the CLI once and collects its output. */
export function runCli(args: string[], options: { cwd?: string; input?: string } = {}): Promise<CliResult> {
  return new Promise((done, fail) => {
    const p = spawn("java", [...JAVA_OPTS, "-jar", JAR, ...args], {
      cwd: options.cwd ?? tmpdir(),
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    p.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    p.on("error", fail);
    p.on("close", (code) => done({ code: code ?? -1, stdout, stderr }));
    p.stdin.end(options.input ?? "");
  });
}

/** Starts a server on 127.0.0.1 port 0 (gRPC and HTTP) with a fresh data folder. */
export async function startServer(options: StartOptions = {}): Promise<ServerHandle> {
  const reason = serverSkipReason();
  if (reason) throw new Error(reason);
  const dataDir = mkdtempSync(join(tmpdir(), "vaultsync-e2e-"));
  const tokens: Record<string, string> = {};
  for (const name of options.tokenNames ?? ["plugin"]) {
    const r = await runCli(["server", "token", "create", "--data", dataDir, "--name", name]);
    const token = r.stdout.trim().split("\n").pop() ?? "";
    if (r.code !== 0 || token === "") {
      throw new Error(`server token create --name ${name} failed (exit ${r.code}): ${r.stderr}${r.stdout}`);
    }
    tokens[name] = token;
  }
  const args = ["server", "--data", dataDir, "--listen", "127.0.0.1:0", "--http", "127.0.0.1:0"];
  for (const o of options.corsOrigins ?? []) args.push("--cors-origin", o);
  args.push(...(options.extraArgs ?? []));
  const proc = spawn("java", [...JAVA_OPTS, "-jar", JAR, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const ports = await new Promise<{ grpc: number; http: number }>((done, fail) => {
    let grpc = -1;
    let http = -1;
    const timer = setTimeout(() => {
      proc.kill("SIGKILL");
      fail(new Error(`the server did not report its ports within ${options.timeoutMs ?? 60_000} ms:\n${output}`));
    }, options.timeoutMs ?? 60_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      grpc = grpc > 0 ? grpc : Number(/serving \d+ vaults? from .* on [\d.]+:(\d+)/.exec(output)?.[1] ?? -1);
      http = http > 0 ? http : Number(/serving HTTP on [\d.]+:(\d+)/.exec(output)?.[1] ?? -1);
      if (grpc > 0 && http > 0) {
        clearTimeout(timer);
        done({ grpc, http });
      }
    };
    proc.stdout?.on("data", onData);
    proc.stderr?.on("data", onData);
    proc.on("exit", (code) => {
      clearTimeout(timer);
      fail(new Error(`the server exited (code ${code}) before it was ready:\n${output}`));
    });
  });
  proc.removeAllListeners("exit");
  return {
    grpcUrl: `http://127.0.0.1:${ports.grpc}`,
    httpUrl: `http://127.0.0.1:${ports.http}`,
    token: Object.values(tokens)[0],
    tokens,
    dataDir,
    cli: runCli,
    log: () => output,
    stop: () => stop(proc, dataDir),
  };
}

async function stop(proc: ChildProcess, dataDir: string): Promise<void> {
  if (proc.exitCode === null && proc.signalCode === null) {
    const exited = new Promise<void>((done) => proc.once("exit", () => done()));
    proc.kill("SIGTERM");
    const timer = setTimeout(() => proc.kill("SIGKILL"), 15_000);
    await exited;
    clearTimeout(timer);
  }
  rmSync(dataDir, { recursive: true, force: true });
}
