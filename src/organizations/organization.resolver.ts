import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../context";
import { Eligibility, toEligibility } from "../common/eligibility";
import { Region } from "../regions/region.type";
import { Referral } from "../referrals/referral.type";
import { Partnership } from "../partnerships/partnership.type";
import { PartnershipEntity } from "../partnerships/partnership.entity";
import { Organization, OrganizationConnection, Service } from "./organization.type";
import { OrganizationEntity, ServiceEntity } from "./organization.entity";
import { CreateOrganizationInput, OrganizationsArgs, UpdateOrganizationArgs } from "./organization.inputs";
import { OrganizationService } from "./organization.service";

@Resolver(() => Organization)
export class OrganizationResolver {
  constructor(private readonly service: OrganizationService) {}

  @Query(() => Organization, { nullable: true, description: "By id or slug; null when absent." })
  organization(@Arg("id", () => ID) id: string): Promise<OrganizationEntity | null> {
    return this.service.byRef(id);
  }

  @Query(() => OrganizationConnection, { description: "Ordered by name, then id." })
  organizations(@Args(() => OrganizationsArgs) { filter, first, after }: OrganizationsArgs) {
    return this.service.list(filter, first, after);
  }

  @Authorized()
  @Mutation(() => Organization)
  createOrganization(@Arg("input", () => CreateOrganizationInput) input: CreateOrganizationInput, @Ctx() ctx: Context) {
    return this.service.create(ctx.viewer, input);
  }

  @Authorized()
  @Mutation(() => Organization)
  updateOrganization(@Args(() => UpdateOrganizationArgs) { id, input, expectedVersion }: UpdateOrganizationArgs, @Ctx() ctx: Context) {
    return this.service.update(ctx.viewer, id, input, expectedVersion);
  }

  @Authorized()
  @Mutation(() => Boolean, { description: "CONFLICT while it still has referrals." })
  deleteOrganization(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<boolean> {
    return this.service.delete(ctx.viewer, id);
  }

  @FieldResolver(() => Region, { nullable: true })
  region(@Root() organization: OrganizationEntity, @Ctx() ctx: Context) {
    return organization.regionId ? ctx.loaders.regionById.load(organization.regionId) : null;
  }

  @FieldResolver(() => [Service])
  services(@Root() organization: OrganizationEntity, @Ctx() ctx: Context) {
    return ctx.loaders.servicesByOrganization.load(organization.id);
  }

  @FieldResolver(() => [Referral])
  async referralsOut(@Root() organization: OrganizationEntity, @Ctx() ctx: Context) {
    return (await ctx.loaders.referralsOf.load(organization.id)).out;
  }

  @FieldResolver(() => [Referral])
  async referralsIn(@Root() organization: OrganizationEntity, @Ctx() ctx: Context) {
    return (await ctx.loaders.referralsOf.load(organization.id)).in;
  }

  @FieldResolver(() => [Partnership])
  async partnerships(@Root() organization: OrganizationEntity, @Ctx() ctx: Context) {
    const members = await ctx.loaders.partnershipMembersByOrganization.load(organization.id);
    const found = await ctx.loaders.partnershipById.loadMany(members.map((m) => m.partnershipId));
    return found.filter((p): p is PartnershipEntity => p !== null && !(p instanceof Error));
  }
}

@Resolver(() => Service)
export class ServiceResolver {
  @FieldResolver(() => Eligibility)
  eligibility(@Root() service: ServiceEntity): Eligibility {
    return toEligibility(service);
  }

  @FieldResolver(() => Organization)
  organization(@Root() service: ServiceEntity, @Ctx() ctx: Context) {
    return ctx.loaders.organizationById.load(service.organizationId);
  }
}
