import net from "node:net";
import { startTestApp, TestApp } from "../helpers/app";
import { ConfigError, loadConfig } from "../../src/config/index";

// Slow or too many clients (HTTP_HEADERS_TIMEOUT_MS, HTTP_MAX_CONNECTIONS): a connection that
// sends half a header is closed once the headers timeout passes; past the maximum, new
// connections are closed at once. Small settings, so that each case takes about a second.

let app: TestApp;
let slow: number;
let few: number;
beforeAll(async () => {
  app = await startTestApp();
  slow = Number(new URL((await app.listen({ HTTP_HEADERS_TIMEOUT_MS: "400", HTTP_REQUEST_TIMEOUT_MS: "800" })).base).port);
  few = Number(new URL((await app.listen({ HTTP_MAX_CONNECTIONS: "3" })).base).port);
});
afterAll(() => app.close());

/** A raw connection; `closed` resolves with what the server wrote before closing it. */
function connect(port: number): Promise<{ socket: net.Socket; closed: Promise<string> }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    let text = "";
    socket.on("data", (chunk) => (text += chunk));
    const closed = new Promise<string>((done) => socket.on("close", () => done(text)));
    socket.on("error", () => undefined); // a reset also ends in "close"
    socket.once("connect", () => resolve({ socket, closed }));
    socket.once("error", reject);
  });
}

describe("slow clients", () => {
  it("when a client sends half a header and waits, then the server answers 408 in the error shape and closes the connection", async () => {
    const { socket, closed } = await connect(slow);
    const sent = Date.now();
    socket.write("POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-ty");
    const answer = await closed;
    expect(Date.now() - sent).toBeLessThan(10_000); // not the 60 s of Node's default, nor forever
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    const body = JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4));
    expect(body.errors[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", fields: [{ field: "request" }] });
    expect(body.errors[0].message).toContain("HTTP_HEADERS_TIMEOUT_MS");
  });

  it("when more connections than HTTP_MAX_CONNECTIONS are open, then the next is closed unanswered, and taken again once one closes", async () => {
    const held = await Promise.all([connect(few), connect(few), connect(few)]);
    const extra = await connect(few);
    extra.socket.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    expect(await extra.closed).toBe(""); // closed by the server without an answer
    held[0].socket.destroy();
    await held[0].closed;
    const again = await connect(few);
    again.socket.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    expect(await again.closed).toMatch(/^HTTP\/1\.1 200 /);
    for (const h of held) h.socket.destroy();
  });

  it("when the headers timeout is longer than the request timeout, then the start is refused naming both", () => {
    expect(() => loadConfig({ HTTP_HEADERS_TIMEOUT_MS: "5000", HTTP_REQUEST_TIMEOUT_MS: "1000" })).toThrow(ConfigError);
    expect(() => loadConfig({ HTTP_HEADERS_TIMEOUT_MS: "5000", HTTP_REQUEST_TIMEOUT_MS: "1000" })).toThrow(/HTTP_HEADERS_TIMEOUT_MS.*HTTP_REQUEST_TIMEOUT_MS/);
  });
});
