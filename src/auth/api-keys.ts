import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { DataSource, In } from "typeorm";
import { Role } from "../domain/vocabulary";
import { InputError, NotFoundError, UnauthenticatedError } from "../errors";
import { isUuid } from "../domain/text";
import { RegionEntity } from "../regions/region.entity";
import { ApiKeyEntity } from "./api-key.entity";
import { Viewer } from "./viewer";

const TOKEN = /^psl_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

// A psl_ token that is cut, mistyped, unknown or of a wrong secret hears the same, so a guess learns nothing.
const NOT_A_KEY =
  "This API token is unknown, revoked or expired: check it was copied whole (psl_, 12 characters, _, 43 characters), or ask an administrator for a new one.";

export interface NewApiKey {
  role: Role;
  regions?: string[];
  label?: string | null;
  expiresAt?: Date | null;
}

export interface ApiKeySummary {
  id: string;
  role: Role;
  regions: string[];
  label: string | null;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

function hashSecret(salt: string, secret: string): string {
  return createHash("sha256").update(salt).update(secret).digest("hex");
}

export class ApiKeys {
  constructor(private readonly db: DataSource) {}

  /** Creates a key and returns its token: the only time the secret exists outside the client. */
  async create(input: NewApiKey): Promise<{ token: string; key: ApiKeySummary }> {
    if (!Object.values(Role).includes(input.role)) {
      throw new InputError("role", `must be one of ${Object.values(Role).join(", ")}`);
    }
    const slugs = [...new Set(input.regions ?? [])];
    if (input.role === Role.EDITOR && slugs.length === 0) {
      throw new InputError("region", "an EDITOR key needs at least one region (--region SLUG)");
    }
    if (input.role !== Role.EDITOR && slugs.length > 0) {
      throw new InputError("region", `regions only scope EDITOR keys: give no --region with role ${input.role}`);
    }
    const regions = slugs.length ? await this.db.getRepository(RegionEntity).findBy({ slug: In(slugs) }) : [];
    const missing = slugs.filter((slug) => !regions.some((r) => r.slug === slug));
    if (missing.length) throw new NotFoundError("region", missing.join(", "), "region");

    const prefix = randomBytes(9).toString("base64url").toLowerCase().replace(/[^a-z0-9]/g, "0").slice(0, 12);
    const secret = randomBytes(32).toString("base64url");
    const salt = randomBytes(16).toString("hex");
    const saved = await this.db.getRepository(ApiKeyEntity).save({
      prefix,
      secretHash: `sha256:${salt}:${hashSecret(salt, secret)}`,
      role: input.role,
      regionIds: regions.map((r) => r.id),
      label: input.label ?? null,
      expiresAt: input.expiresAt ?? null,
    });
    const key = (await this.list()).find((k) => k.id === saved.id)!;
    return { token: `psl_${prefix}_${secret}`, key };
  }

  async list(): Promise<ApiKeySummary[]> {
    const keys = await this.db.getRepository(ApiKeyEntity).find({ order: { createdAt: "ASC", id: "ASC" } });
    const regions = await this.db.getRepository(RegionEntity).find();
    const slugOf = new Map(regions.map((r) => [r.id, r.slug]));
    return keys.map((k) => ({
      id: k.id,
      role: k.role,
      regions: k.regionIds.map((id) => slugOf.get(id) ?? id),
      label: k.label,
      createdAt: k.createdAt,
      expiresAt: k.expiresAt,
      revokedAt: k.revokedAt,
    }));
  }

  /**
   * Revokes a key at once: the next request with it is refused. Revoking a revoked key changes
   * nothing and says when it was revoked (`already`), so a script may run it again safely.
   */
  async revoke(id: string): Promise<{ revokedAt: Date; already: boolean }> {
    if (!isUuid(id)) throw new InputError("id", `${JSON.stringify(id)} is not a key id; \`npm run apikey -- list\` shows them`);
    const result = await this.db
      .getRepository(ApiKeyEntity)
      .createQueryBuilder()
      .update()
      .set({ revokedAt: () => "now()" })
      .where("id = :id AND revoked_at IS NULL", { id })
      .returning(["revokedAt"])
      .execute();
    const revoked = (result.raw as { revoked_at?: Date; revokedAt?: Date }[])[0];
    if (revoked) return { revokedAt: new Date(revoked.revoked_at ?? revoked.revokedAt!), already: false };
    const key = await this.db.getRepository(ApiKeyEntity).findOneBy({ id });
    if (!key?.revokedAt) throw new NotFoundError("API key", id);
    return { revokedAt: key.revokedAt, already: true };
  }

  /** The viewer behind an `Authorization` header value; null when there is none. */
  async authenticate(header: string | undefined): Promise<Viewer | null> {
    if (header === undefined || header.trim() === "") return null;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (/^Bearer\s*$/i.test(header)) throw new UnauthenticatedError("The Authorization header says `Bearer` with no token after it (an unset $TOKEN?): send `Bearer TOKEN`, or no Authorization header at all.");
    if (!match) throw new UnauthenticatedError("The Authorization header must read `Bearer TOKEN`.");
    if (!match[1].startsWith("psl_")) throw new UnauthenticatedError("This is not a Passerelle API token (they start with psl_).");
    const parts = TOKEN.exec(match[1]);
    if (!parts) throw new UnauthenticatedError(NOT_A_KEY);
    const [, prefix, secret] = parts;
    const key = await this.db.getRepository(ApiKeyEntity).findOneBy({ prefix });
    const [, salt, stored] = (key?.secretHash ?? "sha256:x:").split(":");
    const expected = Buffer.from(stored ?? "", "hex");
    const given = Buffer.from(hashSecret(salt ?? "", secret), "hex");
    if (!key || expected.length !== given.length || !timingSafeEqual(expected, given)) throw new UnauthenticatedError(NOT_A_KEY);
    // Past this point the whole secret matched: saying revoked or expired tells only the key's holder.
    if (key.revokedAt) throw new UnauthenticatedError("This API token has been revoked. Ask an administrator for a new one.");
    if (key.expiresAt && key.expiresAt.getTime() <= Date.now()) {
      throw new UnauthenticatedError("This API token has expired. Ask an administrator for a new one.");
    }
    return { keyId: key.id, role: key.role, regionIds: key.regionIds, label: key.label };
  }
}
