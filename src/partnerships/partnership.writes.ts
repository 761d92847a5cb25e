import { DataSource, EntityManager } from "typeorm";
import { Viewer, actorOf, requireRegionWriter } from "../auth/viewer";
import { ConflictError, Faults, InputError, NotFoundError } from "../errors";
import { isUuid } from "../domain/text";
import { optionalText } from "../domain/validate";
import { recordChange, writeTransaction } from "../db/write";
import { OrganizationEntity } from "../organizations/organization.entity";
import { lockNamedOrganizations, lockOrganizations } from "../organizations/organization.writes";
import { PartnershipEntity, PartnershipMemberEntity } from "./partnership.entity";
import { CreatePartnershipInput } from "./partnership.inputs";
import { membersFault, partnershipIdentity, partnershipIdentitySql } from "./partnership.rules";

export class PartnershipWrites {
  constructor(private readonly db: DataSource) {}

  async create(viewer: Viewer | null, input: CreatePartnershipInput): Promise<PartnershipEntity> {
    // Every wrong field at once (docs/api.md); what needs the database (members, duplicates) comes after.
    const faults = new Faults();
    const description = faults.check(() => optionalText(input.description, "input.description"));
    const size = membersFault(input.organizations.length, "input.organizations");
    if (size) faults.add(size.field, size.reason);
    input.organizations.forEach((ref, i) => {
      if (input.organizations.indexOf(ref) < i) faults.add(`input.organizations[${i}]`, `names ${ref} twice`);
    });
    faults.throwIfAny();
    return writeTransaction(
      this.db,
      async (tx) => {
        // The members found and locked in one statement (in id order, against deadlocks), so two identical creates cannot both pass the duplicate check.
        const members = await lockNamedOrganizations(tx, input.organizations, input.organizations.map((_, i) => `input.organizations[${i}]`));
        members.forEach((organization, i) => {
          if (members.findIndex((m) => m.id === organization.id) < i) throw new InputError(`input.organizations[${i}]`, `names ${organization.slug} twice`);
        });
        requireRegionWriter(
          viewer,
          members.map((m) => m.regionId),
          `link ${members.map((m) => m.slug).join(", ")}`,
        );
        await this.refuseDuplicate(tx, input, members);
        const partnership = await tx
          .getRepository(PartnershipEntity)
          .save(tx.getRepository(PartnershipEntity).create({ kind: input.kind, description: description! }));
        await tx
          .getRepository(PartnershipMemberEntity)
          .insert(members.map((m) => ({ partnershipId: partnership.id, organizationId: m.id })));
        await recordChange(tx, actorOf(viewer), "create", "partnership", partnership.id, null, {
          ...partnership,
          organizations: members.map((m) => m.id),
        });
        return partnership;
      },
    );
  }

  async delete(viewer: Viewer | null, id: string): Promise<boolean> {
    return writeTransaction(
      this.db,
      async (tx) => {
        const partnership = isUuid(id) ? await tx.getRepository(PartnershipEntity).findOneBy({ id }) : null;
        if (!partnership) throw new NotFoundError("partnership", id, "id");
        const memberIds: { organization_id: string }[] = await tx.query(`SELECT organization_id FROM partnership_members WHERE partnership_id = $1`, [id]);
        // Members first, in id order, as every write that touches several organizations locks them (no deadlock with deleteOrganization).
        const members = [...(await lockOrganizations(tx, memberIds.map((m) => m.organization_id))).values()];
        requireRegionWriter(
          viewer,
          members.map((m) => m.regionId),
          `delete a partnership of ${members.map((m) => m.slug).join(", ")}`,
        );
        await tx.getRepository(PartnershipEntity).delete({ id });
        await recordChange(tx, actorOf(viewer), "delete", "partnership", id, {
          ...partnership,
          organizations: members.map((m) => m.id),
        }, null);
        return true;
      },
    );
  }

  /** CONFLICT for a second partnership of the same kind between exactly the same organizations. */
  private async refuseDuplicate(tx: EntityManager, input: CreatePartnershipInput, members: OrganizationEntity[]) {
    const rows: { id: string }[] = await tx.query(
      `SELECT p.id FROM partnerships p WHERE p.kind = $1 AND ${partnershipIdentitySql("p")} = $2`,
      [input.kind, partnershipIdentity(input.kind, members.map((m) => m.id))],
    );
    if (rows.length) {
      throw new ConflictError(
        `A ${input.kind} partnership between ${members.map((m) => m.slug).join(", ")} already exists (id ${rows[0].id}).`,
        { existingId: rows[0].id },
      );
    }
  }
}
