// One exchange per HTTP request: its id (the x-request-id header, set before anything else), its
// one log line when it ends (refusals included), and `connection: close` once the server stops.
import { randomUUID } from "node:crypto";
import http from "node:http";
import net from "node:net";
import type { Duplex } from "node:stream";
import { ErrorCode, errorBody, REQUEST_ID_HEADER } from "../errors";
import { Logger } from "../log";

export interface Exchange {
  readonly requestId: string;
  /** What the log line says of the request, filled in by the handlers where they know it. */
  operation?: string | null;
  keyId?: string | null;
  cache?: "hit";
}

/** Longest path kept in a log line: an unknown path is the client's text. */
const ROUTE_IN_LOG = 200;

/**
 * At shutdown, how long an idle connection may still bring a request it already sent (read late
 * when the process is busy) before it is closed. Short: it delays the exit.
 */
const IDLE_GRACE_MS = 500;

interface Connection {
  /** Requests read on it and not yet answered. */
  inFlight: number;
}

export class Exchanges {
  private readonly open = new Set<http.ServerResponse>();
  private readonly connections = new Map<Duplex, Connection>();
  private stopping = false;

  constructor(
    private readonly server: http.Server,
    private readonly logger: Logger,
  ) {
    server.on("connection", (socket: Duplex) => {
      this.connections.set(socket, { inFlight: 0 });
      socket.once("close", () => this.connections.delete(socket));
    });
  }

  begin(request: http.IncomingMessage, response: http.ServerResponse, route: string): Exchange {
    const exchange: Exchange = { requestId: randomUUID() };
    const started = process.hrtime.bigint();
    const socket = request.socket;
    const connection = this.connections.get(socket);
    if (connection) connection.inFlight++;
    response.setHeader(REQUEST_ID_HEADER, exchange.requestId);
    if (this.stopping) response.setHeader("connection", "close");
    this.open.add(response);
    response.once("close", () => {
      this.open.delete(response);
      if (connection) connection.inFlight--;
      this.logger.access("request", {
        requestId: exchange.requestId,
        method: request.method,
        route: route.slice(0, ROUTE_IN_LOG),
        status: response.statusCode,
        ms: Number(process.hrtime.bigint() - started) / 1e6,
        operation: exchange.operation,
        keyId: exchange.keyId,
        cache: exchange.cache,
        ...(response.writableFinished ? {} : { aborted: true }),
      });
      // An answer begun before shutdown kept its connection alive: closed now that it is idle.
      if (this.stopping && connection?.inFlight === 0 && response.getHeader("connection") !== "close") socket.destroy();
    });
    return exchange;
  }

  /**
   * Shutdown without losing an answer: new connections are refused at once; every answer not yet
   * begun says `connection: close` (Node then closes its connection); a request already sent on
   * an idle connection is still read and answered during `idleGraceMs` (with 0, only what has
   * already arrived, read in one more turn of the event loop); then idle connections are closed, a
   * request arriving later on one is never read, so never run. Resolves when the last connection
   * has closed.
   */
  async drain(idleGraceMs = IDLE_GRACE_MS): Promise<void> {
    this.stopping = true;
    for (const response of this.open) if (!response.headersSent) response.setHeader("connection", "close");
    // net's close, not http's: http's destroys idle connections at once, with the requests they carry unread.
    const closed = new Promise<void>((resolve) => net.Server.prototype.close.call(this.server, () => resolve()));
    // With no connection open none can bring a request any more: nothing to wait for.
    if (this.connections.size > 0 && idleGraceMs > 0) await new Promise((resolve) => setTimeout(resolve, idleGraceMs));
    // One more turn of the event loop, so that what arrived meanwhile is read before deciding.
    await new Promise((resolve) => setImmediate(resolve));
    for (const [socket, connection] of this.connections) if (connection.inFlight === 0) socket.destroy();
    await closed;
  }

  /**
   * A request Node's parser refused (malformed, headers too large, not received within
   * HTTP_HEADERS_TIMEOUT_MS / HTTP_REQUEST_TIMEOUT_MS): answered in the one error shape, logged, closed.
   */
  clientError(error: NodeJS.ErrnoException, socket: Duplex): void {
    // Mid-answer, or the client already gone: nothing can be said.
    if (error.code === "ECONNRESET" || !socket.writable || (socket as { _httpMessage?: unknown })._httpMessage) {
      socket.destroy();
      return;
    }
    const [status, reason, message] =
      error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? [408, "Request Timeout", "The request did not arrive in time (HTTP_HEADERS_TIMEOUT_MS, HTTP_REQUEST_TIMEOUT_MS): send it whole, without pauses."]
        : error.code === "HPE_HEADER_OVERFLOW"
          ? [431, "Request Header Fields Too Large", "The request's headers are too large: send fewer or shorter headers."]
          : [400, "Bad Request", "This is not a well-formed HTTP request: send an HTTP/1.1 POST /graphql with content-type: application/json."];
    const requestId = randomUUID();
    const body = errorBody(ErrorCode.BAD_USER_INPUT, message, requestId, { fields: [{ field: "request", reason: message }] });
    const answer =
      `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
        `connection: close\r\n${REQUEST_ID_HEADER}: ${requestId}\r\n\r\n${body}`;
    socket.end(answer, () => socket.destroy());
    this.logger.access("request", { requestId, method: null, route: null, status, error: error.code ?? error.message });
  }
}
