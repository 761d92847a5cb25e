import { NotFoundError } from "../errors";
import { slugify } from "../domain/text";
import type { ReadModel } from "../model/model";

// The graph queries' and analyses' references to the read model, each looked up one way: a name
// that names nothing is NOT_FOUND naming the argument it came in.

/** The id of the region with this slug; undefined when none was asked (the whole network). */
export function regionIdOf(s: ReadModel, region: string | null | undefined, field = "region"): string | undefined {
  if (region === null || region === undefined) return undefined;
  const id = s.region(region)?.id;
  if (!id) throw new NotFoundError("region", region, field, regionHint(s, region));
  return id;
}

/**
 * What to write instead of an unknown region: the slug of the one probably meant (written as its
 * name, "Corrèze", or with accents or capitals, "corrèze"), else the slugs there are.
 */
function regionHint(s: ReadModel, region: string): string {
  const wanted = slugify(region);
  const meant = s.regions.find((r) => r.slug === wanted || slugify(r.name) === wanted);
  if (meant) return `did you mean "${meant.slug}"? Regions are named by their slug (${meant.name}: ${meant.slug})`;
  const slugs = s.regions.map((r) => r.slug).sort();
  return slugs.length <= 12 ? `the regions are ${slugs.join(", ") || "none yet"}` : `list the regions' slugs with { regions { slug } }`;
}

/** The number of the organization with this id or slug. */
export function organizationOf(s: ReadModel, ref: string, field: string): number {
  const n = s.organizationNumber(ref);
  if (n === undefined) throw new NotFoundError("organization with id or slug", ref, field);
  return n;
}
