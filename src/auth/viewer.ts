import { Role } from "../domain/vocabulary";
import { ForbiddenError, UnauthenticatedError } from "../errors";

/** Who sends a request: the API key behind it, or nobody. */
export interface Viewer {
  keyId: string;
  role: Role;
  /** Regions an EDITOR may write to (ids). */
  regionIds: string[];
  label: string | null;
}

/** Who made a change, for the audit trail: a key, or a named tool (`seed`, `cli`). */
export interface Actor {
  apiKeyId: string | null;
  name: string | null;
}

export function actorOf(viewer: Viewer | null, tool = "anonymous"): Actor {
  return viewer ? { apiKeyId: viewer.keyId, name: null } : { apiKeyId: null, name: tool };
}

/** A writer's identity, or UNAUTHENTICATED / FORBIDDEN. */
export function requireWriter(viewer: Viewer | null): Viewer {
  if (!viewer) throw new UnauthenticatedError();
  if (viewer.role === Role.VIEWER) {
    throw new ForbiddenError("This API key is a VIEWER key: it may read but not change anything.");
  }
  return viewer;
}

export function requireAdmin(viewer: Viewer | null, what: string): Viewer {
  const writer = requireWriter(viewer);
  if (writer.role !== Role.ADMIN) throw new ForbiddenError(`Only an ADMIN key may ${what}.`);
  return writer;
}

/**
 * May this viewer write to records that belong to these regions? An ADMIN anywhere; an EDITOR
 * when one of the regions is one of its own. `null` stands for a transnational body (no region).
 */
export function requireRegionWriter(viewer: Viewer | null, regionIds: (string | null)[], what: string): Viewer {
  const writer = requireWriter(viewer);
  if (writer.role === Role.ADMIN) return writer;
  if (regionIds.some((id) => id !== null && writer.regionIds.includes(id))) return writer;
  const transnational = regionIds.length > 0 && regionIds.every((id) => id === null);
  throw new ForbiddenError(
    transnational
      ? `Only an ADMIN key may ${what}: it belongs to a transnational body (no region).`
      : `This EDITOR key may not ${what}: it belongs to a region the key does not name.`,
  );
}
