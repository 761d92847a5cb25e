import fs from "node:fs";
import path from "node:path";
import { buildSchema, GraphQLEnumType, GraphQLInputObjectType, GraphQLObjectType, GraphQLSchema } from "graphql";
import { ROOT } from "../src/root";
import { ErrorCode } from "../src/errors";

// docs/api.md is the API reference a caller reads: it must name everything the served schema has.
const DOC = fs.readFileSync(path.join(ROOT, "docs", "api.md"), "utf8");
const schema: GraphQLSchema = buildSchema(fs.readFileSync(path.join(ROOT, "schema", "schema.graphql"), "utf8"));

/** The text of the `### \`name\`` section, up to the next heading. */
function section(name: string): string | undefined {
  const start = DOC.indexOf(`### \`${name}\`\n`);
  if (start < 0) return undefined;
  const next = DOC.slice(start + 4).search(/\n#{2,3} /);
  return next < 0 ? DOC.slice(start) : DOC.slice(start, start + 4 + next);
}

/** The `- \`Type\` — ...` line of a type. */
function typeLine(name: string): string | undefined {
  return DOC.split("\n").find((line) => line.startsWith(`- \`${name}\` `) || line.startsWith(`- \`${name}\`:`));
}

const operations = [schema.getQueryType()!, schema.getMutationType()!].flatMap((root) => Object.values(root.getFields()));
const types = Object.values(schema.getTypeMap()).filter((t) => !t.name.startsWith("__") && t !== schema.getQueryType() && t !== schema.getMutationType());

describe("docs/api.md", () => {
  it.each(operations.map((f) => [f.name, f]))("when %s is looked up, then it has a section naming each of its arguments", (name, field) => {
    const text = section(name as string);
    expect(text).toBeDefined();
    const missing = (field as (typeof operations)[number]).args.filter((a) => !text!.includes(`${a.name}:`) && !text!.includes(`\`${a.name}\``));
    expect(missing.map((a) => a.name)).toEqual([]);
  });

  it("when every object and input type is looked up, then each has its line naming all its fields", () => {
    const faults: string[] = [];
    for (const type of types) {
      if (!(type instanceof GraphQLObjectType || type instanceof GraphQLInputObjectType)) continue;
      const line = typeLine(type.name);
      if (!line) faults.push(`${type.name}: no line`);
      else for (const field of Object.keys(type.getFields())) if (!line.includes(`\`${field}\``)) faults.push(`${type.name}.${field}`);
    }
    expect(faults).toEqual([]);
  });

  it("when every enum is looked up, then its line names all its values", () => {
    const faults: string[] = [];
    for (const type of types) {
      if (!(type instanceof GraphQLEnumType)) continue;
      const line = typeLine(type.name);
      if (!line) faults.push(`${type.name}: no line`);
      else for (const value of type.getValues()) if (!line.includes(`\`${value.name}\``)) faults.push(`${type.name}.${value.name}`);
    }
    expect(faults).toEqual([]);
  });

  it("when the error codes are looked up, then each one the API sends is explained", () => {
    const explained = Object.values(ErrorCode).filter((code) => DOC.includes(`- \`${code}\`:`));
    expect(explained).toEqual(Object.values(ErrorCode));
  });

  it("when it is read from a clone of this repository alone, then it points at nothing outside it", () => {
    expect(DOC).not.toMatch(/\.\.\/shared/);
  });
});

describe("the repository's own words", () => {
  it("when every source file, test, bench and document is read, then none points at a document outside the repository", () => {
    const outside = /\.\.\/shared\b|\bPITFALLS\b|\bDESIGN\.md\b|\bAPI\.md\b/;
    const files = ["README.md", ...["src", "test", "bench", "docs", "examples"].flatMap((folder) => walk(path.join(ROOT, folder)))];
    const pointing = files.filter((file) => file !== __filename && outside.test(fs.readFileSync(path.resolve(ROOT, file), "utf8")));
    expect(pointing).toEqual([]);
  });
});

/** The text files under `dir` (sources, tests, documents), generated and installed ones left out. */
function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return ["node_modules", "dist", "generated", "artifacts"].includes(entry.name) ? [] : walk(full);
    return /\.(ts|js|md|json|html|css|graphql|yml)$/.test(entry.name) ? [full] : [];
  });
}
