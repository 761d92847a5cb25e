import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../context";
import { Eligibility, toEligibility } from "../domain/eligibility";
import { DateScalar } from "../api/scalars";
import { Organization } from "../organizations/organization.type";
import { Referral, ReferralConnection } from "./referral.type";
import type { ReferralEdge } from "../model/nodes";
import { referralsPage } from "../model/queries";
import { CreateReferralInput, ReferralsArgs, UpdateReferralArgs } from "./referral.inputs";
import { ReferralWrites } from "./referral.writes";

@Resolver(() => Referral)
export class ReferralResolver {
  constructor(private readonly writes: ReferralWrites) {}

  @Query(() => Referral, { nullable: true, description: "Null when absent." })
  referral(@Arg("id", () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.read((m) => m.referral(id) ?? null);
  }

  @Query(() => ReferralConnection, { description: "Ordered by id (stable across pages)." })
  referrals(@Args(() => ReferralsArgs) { filter, first, after }: ReferralsArgs, @Ctx() ctx: Context) {
    return ctx.read((m) => referralsPage(m, filter, first, after));
  }

  @Authorized()
  @Mutation(() => Referral)
  createReferral(@Arg("input", () => CreateReferralInput) input: CreateReferralInput, @Ctx() ctx: Context) {
    return this.writes.create(ctx.viewer, input);
  }

  @Authorized()
  @Mutation(() => Referral)
  updateReferral(@Args(() => UpdateReferralArgs) { id, input, expectedVersion }: UpdateReferralArgs, @Ctx() ctx: Context) {
    return this.writes.update(ctx.viewer, id, input, expectedVersion);
  }

  @Authorized()
  @Mutation(() => Referral, { description: "Sets status ENDED and `until`; the referral stays as history." })
  endReferral(@Arg("id", () => ID) id: string, @Arg("until", () => DateScalar) until: string, @Ctx() ctx: Context) {
    return this.writes.end(ctx.viewer, id, until);
  }

  @Authorized()
  @Mutation(() => Boolean)
  deleteReferral(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<boolean> {
    return this.writes.delete(ctx.viewer, id);
  }

  @FieldResolver(() => Organization)
  from(@Root() referral: ReferralEdge, @Ctx() ctx: Context) {
    return ctx.read((m) => m.organization(referral.fromId));
  }

  @FieldResolver(() => Organization)
  to(@Root() referral: ReferralEdge, @Ctx() ctx: Context) {
    return ctx.read((m) => m.organization(referral.toId));
  }

  @FieldResolver(() => Eligibility)
  eligibility(@Root() referral: ReferralEdge): Eligibility {
    return toEligibility(referral);
  }
}
