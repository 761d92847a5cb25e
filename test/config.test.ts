import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { ConfigError, loadConfig } from "../src/config/index";
import { editDistance } from "../src/config/spelling";
import { ROOT, SERVER_NODE_FLAGS, startServerProcess } from "./helpers/process";
import { preparedDataDir } from "./helpers/database";

/** The message loadConfig refuses `env` with ("" when it accepts it). */
function refusal(env: Record<string, string>): string {
  try {
    loadConfig(env);
    return "";
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
}

/** Runs the built server (as `npm start` does) until it exits; its exit code and everything it wrote. */
function startToExit(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, path.join(ROOT, "dist/src/main.js")], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: "production", PORT: "0", SEED: "none", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, output })));
}

/** The lines a refused start wrote that are not JSON log lines. */
const said = (output: string) => output.split("\n").filter((line) => line !== "" && !line.startsWith("{"));

describe("the server process", () => {
  it("when npm start runs it, then with the node options the tests and benches start it with", () => {
    const start = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts.start;
    expect(start).toBe(`npm run --silent build && node ${SERVER_NODE_FLAGS.join(" ")} dist/src/main.js`);
  });
});

describe("loadConfig", () => {
  it("when NODE_ENV is not one of the three, then it names them and the likely one", () => {
    expect(refusal({ NODE_ENV: "prod" })).toBe('NODE_ENV must be one of production, development, test, got "prod": did you mean production?');
    expect(refusal({ NODE_ENV: "dev" })).toMatch(/did you mean development\?$/);
    expect(refusal({ NODE_ENV: "Production" })).toMatch(/did you mean production\?$/);
    expect(refusal({ NODE_ENV: "staging" })).toBe('NODE_ENV must be one of production, development, test, got "staging"');
    expect(refusal({ LOG_LEVEL: "warning" })).toMatch(/^LOG_LEVEL must be one of .*: did you mean warn\?$/);
    for (const nodeEnv of ["production", "development", "test"]) expect(loadConfig({ NODE_ENV: nodeEnv }).nodeEnv).toBe(nodeEnv);
  });

  it("when a variable is a slip away from a setting, then the start is refused naming the right one", () => {
    expect(refusal({ READ_REQUIRE_AUTH: "true" })).toBe("READ_REQUIRE_AUTH is not a setting of Passerelle: did you mean READ_REQUIRES_AUTH? Rename it, or unset it.");
    expect(refusal({ DATABSE_URL: "postgres://x" })).toMatch(/^DATABSE_URL .*did you mean DATABASE_URL\?/);
    expect(refusal({ PROT: "4000" })).toMatch(/^PROT .*did you mean PORT\?/);
    expect(refusal({ STATEMENT_TIMEOUT_SM: "10" })).toMatch(/did you mean STATEMENT_TIMEOUT_MS\?/);
  });

  it("when several settings are wrong, then one refusal names them all, a line each", () => {
    expect(refusal({ PORT: "http", NODE_ENV: "prod", LOG_LEVL: "info", HOST: "not a host" }).split("\n")).toEqual([
      expect.stringMatching(/^NODE_ENV .*production/),
      expect.stringMatching(/^PORT must be a whole number/),
      expect.stringMatching(/^HOST must be/),
      expect.stringMatching(/^LOG_LEVL .*did you mean LOG_LEVEL\?/),
    ]);
  });

  it("when any documented setting is misspelt, then it is known (what loadConfig reads is what is checked, no second list)", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const table = readme.slice(readme.indexOf("## Configuration"), readme.indexOf("### When things go wrong"));
    const documented = [...table.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \|/gm)].map((m) => m[1]);
    expect(documented).toEqual(expect.arrayContaining(["PORT", "HOST", "DATABASE_URL", "READ_REQUIRES_AUTH", "LOG_LEVEL"]));
    for (const name of documented) {
      expect(refusal({ [`${name}S`]: "1" })).toMatch(new RegExp(`^${name}S is not a setting of Passerelle: did you mean [^?]*\\b${name}\\b`));
    }
  });

  it("when the environment holds the ordinary variables of a machine, a shell, npm, jest or CI, then nothing is taken for a slip", () => {
    const ordinary = {
      PATH: "/usr/bin", HOME: "/home/x", HOSTNAME: "box", HOSTTYPE: "x86_64", PWD: "/", OLDPWD: "/", USER: "x", LOGNAME: "x", SHELL: "/bin/sh",
      TERM: "xterm", LANG: "C.UTF-8", TZ: "UTC", EDITOR: "vi", PAGER: "less", TMPDIR: "/tmp", MAIL: "/var/mail/x", DISPLAY: ":0",
      NODE_OPTIONS: "--max-old-space-size=512", NODE_EXTRA_CA_CERTS: "/x", NODE_PATH: "/x", NODE: "/usr/bin/node", INIT_CWD: "/", COLOR: "1",
      npm_config_port: "1", npm_lifecycle_event: "start", npm_package_name: "passerelle", JEST_WORKER_ID: "1",
      CI: "true", GITHUB_ACTIONS: "true", RUNNER_OS: "Linux", TEST_DATABASE_URL: "postgres://x", BENCH_DATABASE_URL: "postgres://x",
      PGHOST: "db", PGPORT: "5432", PGUSER: "x", PGDATABASE: "x", PGPASSWORD: "x", DOCKER_HOST: "unix:///x", HTTP_PROXY: "x", NO_PROXY: "x",
      PASSERELLE_PORT: "tcp://10.0.0.1:4000", KUBERNETES_SERVICE_HOST: "10.0.0.1", FC_RUNS: "3", CHROMIUM_PATH: "/x",
    };
    expect(refusal({ ...(process.env as Record<string, string>), ...ordinary, NODE_ENV: "test" })).toBe("");
  });

  it("when HOST is not an IP address or a host name, then it says so naming HOST", () => {
    expect(refusal({ HOST: "not a host" })).toMatch(/^HOST must be an address of this machine .*got "not a host": this is neither an IP address nor a host name$/);
    expect(refusal({ HOST: "256.1.1.1" })).toMatch(/^HOST .*"256\.1\.1\.1": this is not an IPv4 address/);
    expect(refusal({ HOST: "[::1]" })).toMatch(/without brackets: ::1$/);
    expect(refusal({ HOST: "localhost:4000" })).toMatch(/give the port in PORT/);
    for (const host of ["0.0.0.0", "127.0.0.1", "::", "::1", "localhost", "passerelle.example.org"]) expect(loadConfig({ HOST: host }).host).toBe(host);
  });

  it("when two names differ by a swap of adjacent letters, then that is one edit", () => {
    expect(editDistance("PROT", "PORT")).toBe(1);
    expect(editDistance("DATABSE_URL", "DATABASE_URL")).toBe(1);
    expect(editDistance("PGHOST", "HOST")).toBe(2);
    expect(editDistance("", "ABC")).toBe(3);
  });
});

describe("a start with a wrong setting", () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = preparedDataDir("passerelle-config-", "migrated");
  });

  it("when NODE_ENV is prod and a name is misspelt, then the process exits 1 with one line each and no stack", async () => {
    const { code, output } = await startToExit({ NODE_ENV: "prod", READ_REQUIRE_AUTH: "true", DATA_DIR: dataDir });
    expect(code).toBe(1);
    expect(said(output)).toEqual([
      'Configuration error: NODE_ENV must be one of production, development, test, got "prod": did you mean production?',
      "Configuration error: READ_REQUIRE_AUTH is not a setting of Passerelle: did you mean READ_REQUIRES_AUTH? Rename it, or unset it.",
    ]);
  });

  it("when HOST is not an address of this machine, then the process exits 1 with one line naming HOST and no stack", async () => {
    const notHere = await startToExit({ HOST: "192.0.2.1", DATA_DIR: dataDir }); // TEST-NET-1: never a local address
    expect(notHere.code).toBe(1);
    expect(said(notHere.output)).toEqual([expect.stringMatching(/^Passerelle could not start: HOST=192\.0\.2\.1 is not an address of this machine \(EADDRNOTAVAIL\)\. Set HOST/)]);

    const unknown = await startToExit({ HOST: "no-such-host.invalid", DATA_DIR: dataDir }); // .invalid never resolves (RFC 2606)
    expect(unknown.code).toBe(1);
    expect(said(unknown.output)).toEqual([expect.stringMatching(/^Passerelle could not start: HOST=no-such-host\.invalid is not a known host name \((ENOTFOUND|EAI_AGAIN)\)/)]);

    const malformed = await startToExit({ HOST: "not a host", DATA_DIR: dataDir });
    expect(malformed.code).toBe(1);
    expect(said(malformed.output)).toEqual([expect.stringMatching(/^Configuration error: HOST must be/)]);
  });

  it("when started with this machine's (and this test run's) whole environment, then it is not refused", async () => {
    const server = await startServerProcess({ SEED: "none", DATA_DIR: dataDir }); // rejects, with the output, if it exits
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
  });
});
