import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from "type-graphql";
import type { Context } from "../context";
import { organizationsByName } from "../model/queries";
import { Organization } from "../organizations/organization.type";
import { Partnership } from "./partnership.type";
import { CreatePartnershipInput } from "./partnership.inputs";
import { PartnershipWrites } from "./partnership.writes";

@Resolver(() => Partnership)
export class PartnershipResolver {
  constructor(private readonly writes: PartnershipWrites) {}

  @Authorized()
  @Mutation(() => Partnership)
  createPartnership(@Arg("input", () => CreatePartnershipInput) input: CreatePartnershipInput, @Ctx() ctx: Context) {
    return this.writes.create(ctx.viewer, input);
  }

  @Authorized()
  @Mutation(() => Boolean)
  deletePartnership(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<boolean> {
    return this.writes.delete(ctx.viewer, id);
  }

  @FieldResolver(() => [Organization])
  organizations(@Root() partnership: { id: string }, @Ctx() ctx: Context) {
    return ctx.read((model) => {
      return organizationsByName(model, model.partnership(partnership.id)?.memberIds ?? []);
    });
  }
}
