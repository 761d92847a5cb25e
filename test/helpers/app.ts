import "reflect-metadata";
import { ApolloServer } from "@apollo/server";
import { DataSource } from "typeorm";
import { loadConfig } from "../../src/config/index";
import { createLogger, Logger } from "../../src/log";
import { Context } from "../../src/context";
import { Role } from "../../src/domain/vocabulary";
import { seedIfEmpty } from "../../src/db/seed/seed";
import { createContext, createServer, Server } from "../../src/server";
import { freshDatabase, TestDatabase } from "./database";
import { GraphQLClient, graphqlClient } from "./http";

export interface GraphQLResult<T = Record<string, any>> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
}

export interface TestApp {
  database: TestDatabase;
  db: DataSource;
  server: Server;
  /** Tokens of keys made for the test: ADMIN, VIEWER, and an EDITOR of region `correze` (when seeded). */
  tokens: { admin: string; viewer: string; editor?: string };
  /** Runs an operation through the whole Apollo pipeline (no HTTP), as `token` when given. */
  execute<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphQLResult<T>>;
  /** Like execute, but fails the test on any error and returns data. */
  ok<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, token?: string): Promise<T>;
  /** Every SQL statement sent since the last reset. */
  statements: string[];
  /** Another HTTP server over this database (listenOver), stopped by close(). */
  listen(env?: Record<string, string>, logger?: Logger): Promise<Listening>;
  close(): Promise<void>;
}

export interface Listening {
  server: Server;
  /** http://127.0.0.1:PORT */
  base: string;
  /** base + /graphql */
  graphql: string;
  /** A client of `graphql` (test/helpers/http.ts). */
  client: GraphQLClient;
}

/** A real HTTP server over `db` on a free loopback port: NODE_ENV=production, as deployed, unless `env` says otherwise. */
export async function listenOver(db: DataSource, env: Record<string, string> = {}, logger: Logger = createLogger("silent")): Promise<Listening> {
  const server = await createServer(loadConfig({ NODE_ENV: "production", PORT: "0", ...env }), db, logger);
  const base = `http://127.0.0.1:${await server.listen()}`;
  return { server, base, graphql: `${base}/graphql`, client: graphqlClient(`${base}/graphql`) };
}

export interface TestAppOptions {
  seed?: boolean;
  env?: Record<string, string>;
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const statements: string[] = [];
  const database = await freshDatabase({ onQuery: (sql) => statements.push(sql), seeded: options.seed });
  const db = database.db;
  if (options.seed) await seedIfEmpty(db);
  // Tests write and ask far faster than any person: no rate limits unless a test sets them.
  const config = loadConfig({ NODE_ENV: "test", PORT: "0", WRITE_RATE_LIMIT: "0", GRAPH_RATE_LIMIT: "0", ...options.env });
  const server = await createServer(config, db, createLogger("silent"));
  const admin = (await server.features.apiKeys.create({ role: Role.ADMIN, label: "test admin" })).token;
  const viewer = (await server.features.apiKeys.create({ role: Role.VIEWER, label: "test viewer" })).token;
  const editor = options.seed
    ? (await server.features.apiKeys.create({ role: Role.EDITOR, regions: ["correze"], label: "test editor" })).token
    : undefined;
  const apollo: ApolloServer<Context> = server.apollo;

  const execute = async <T>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphQLResult<T>> => {
    let contextValue: Context;
    try {
      contextValue = await createContext(server.features, db, token ? `Bearer ${token}` : undefined);
    } catch (error) {
      const e = error as { message: string; extensions?: Record<string, unknown> };
      return { errors: [{ message: e.message, extensions: e.extensions }] };
    }
    const response = await apollo.executeOperation({ query, variables }, { contextValue });
    if (response.body.kind !== "single") throw new Error("expected a single result");
    return JSON.parse(JSON.stringify(response.body.singleResult)) as GraphQLResult<T>;
  };

  const listening: Server[] = [];
  return {
    database,
    db,
    server,
    tokens: { admin, viewer, editor },
    execute,
    async ok<T>(query: string, variables?: Record<string, unknown>, token?: string) {
      const result = await execute<T>(query, variables, token);
      if (result.errors?.length) throw new Error(`unexpected GraphQL errors: ${JSON.stringify(result.errors, null, 2)}`);
      return result.data as T;
    },
    statements,
    async listen(env, logger) {
      const started = await listenOver(db, env, logger);
      listening.push(started.server);
      return started;
    },
    async close() {
      // The test's requests are all answered: no grace for a late one on an idle connection.
      await Promise.all(listening.map((other) => other.stop(0)));
      await server.stop();
      await database.close();
    },
  };
}

/** The `extensions.code` of the first error, for asserting refusals. */
export function errorCode(result: GraphQLResult): string | undefined {
  return result.errors?.[0]?.extensions?.code;
}
