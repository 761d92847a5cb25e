import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../context";
import { Eligibility, toEligibility } from "../domain/eligibility";
import { Region } from "../regions/region.type";
import { Referral } from "../referrals/referral.type";
import { Partnership } from "../partnerships/partnership.type";
import { Organization, OrganizationConnection, Service } from "./organization.type";
import type { OrganizationNode, ServiceNode } from "../model/nodes";
import { organizationsPage, referralsOf } from "../model/queries";
import { CreateOrganizationInput, OrganizationsArgs, UpdateOrganizationArgs } from "./organization.inputs";
import { OrganizationWrites } from "./organization.writes";

@Resolver(() => Organization)
export class OrganizationResolver {
  constructor(private readonly writes: OrganizationWrites) {}

  @Query(() => Organization, { nullable: true, description: "By id or slug; null when absent." })
  organization(@Arg("id", () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.read((m) => m.organization(id) ?? null);
  }

  @Query(() => OrganizationConnection, { description: "Ordered by name, then id." })
  organizations(@Args(() => OrganizationsArgs) { filter, first, after }: OrganizationsArgs, @Ctx() ctx: Context) {
    return ctx.read((m) => organizationsPage(m, filter, first, after));
  }

  @Authorized()
  @Mutation(() => Organization)
  createOrganization(@Arg("input", () => CreateOrganizationInput) input: CreateOrganizationInput, @Ctx() ctx: Context) {
    return this.writes.create(ctx.viewer, input);
  }

  @Authorized()
  @Mutation(() => Organization)
  updateOrganization(@Args(() => UpdateOrganizationArgs) { id, input, expectedVersion }: UpdateOrganizationArgs, @Ctx() ctx: Context) {
    return this.writes.update(ctx.viewer, id, input, expectedVersion);
  }

  @Authorized()
  @Mutation(() => Boolean, { description: "CONFLICT while it still has referrals." })
  deleteOrganization(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<boolean> {
    return this.writes.delete(ctx.viewer, id);
  }

  @FieldResolver(() => Region, { nullable: true })
  region(@Root() organization: OrganizationNode, @Ctx() ctx: Context) {
    return ctx.read((m) => organization.regionId ? (m.regionById(organization.regionId) ?? null) : null);
  }

  @FieldResolver(() => [Service])
  services(@Root() organization: OrganizationNode, @Ctx() ctx: Context) {
    return ctx.read((m) => m.organization(organization.id)?.services ?? []);
  }

  @FieldResolver(() => [Referral])
  referralsOut(@Root() organization: OrganizationNode, @Ctx() ctx: Context) {
    return ctx.read((m) => referralsOf(m, organization.id, "out"));
  }

  @FieldResolver(() => [Referral])
  referralsIn(@Root() organization: OrganizationNode, @Ctx() ctx: Context) {
    return ctx.read((m) => referralsOf(m, organization.id, "into"));
  }

  @FieldResolver(() => [Partnership], { description: "By id." })
  partnerships(@Root() organization: OrganizationNode, @Ctx() ctx: Context) {
    return ctx.read((model) => {
      const n = model.organizationNumber(organization.id);
      return n === undefined ? [] : model.partnershipsOf(n).map((p) => model.partnerships[p]);
    });
  }
}

@Resolver(() => Service)
export class ServiceResolver {
  @FieldResolver(() => Eligibility)
  eligibility(@Root() service: ServiceNode): Eligibility {
    return toEligibility(service);
  }

  @FieldResolver(() => Organization)
  organization(@Root() service: ServiceNode, @Ctx() ctx: Context) {
    return ctx.read((m) => m.organization(service.organizationId));
  }
}
