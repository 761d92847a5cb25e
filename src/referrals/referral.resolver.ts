import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../context";
import { Eligibility, toEligibility } from "../common/eligibility";
import { DateScalar } from "../common/scalars";
import { Organization } from "../organizations/organization.type";
import { Referral, ReferralConnection } from "./referral.type";
import { ReferralEntity } from "./referral.entity";
import { CreateReferralInput, ReferralsArgs, UpdateReferralArgs } from "./referral.inputs";
import { ReferralService } from "./referral.service";

@Resolver(() => Referral)
export class ReferralResolver {
  constructor(private readonly service: ReferralService) {}

  @Query(() => Referral, { nullable: true, description: "Null when absent." })
  referral(@Arg("id", () => ID) id: string) {
    return this.service.byId(id);
  }

  @Query(() => ReferralConnection, { description: "Ordered by id (stable across pages)." })
  referrals(@Args(() => ReferralsArgs) { filter, first, after }: ReferralsArgs) {
    return this.service.list(filter, first, after);
  }

  @Authorized()
  @Mutation(() => Referral)
  createReferral(@Arg("input", () => CreateReferralInput) input: CreateReferralInput, @Ctx() ctx: Context) {
    return this.service.create(ctx.viewer, input);
  }

  @Authorized()
  @Mutation(() => Referral)
  updateReferral(@Args(() => UpdateReferralArgs) { id, input, expectedVersion }: UpdateReferralArgs, @Ctx() ctx: Context) {
    return this.service.update(ctx.viewer, id, input, expectedVersion);
  }

  @Authorized()
  @Mutation(() => Referral, { description: "Sets status ENDED and `until`; the referral stays as history." })
  endReferral(@Arg("id", () => ID) id: string, @Arg("until", () => DateScalar) until: string, @Ctx() ctx: Context) {
    return this.service.end(ctx.viewer, id, until);
  }

  @Authorized()
  @Mutation(() => Boolean)
  deleteReferral(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<boolean> {
    return this.service.delete(ctx.viewer, id);
  }

  @FieldResolver(() => Organization)
  from(@Root() referral: ReferralEntity, @Ctx() ctx: Context) {
    return ctx.loaders.organizationById.load(referral.fromId);
  }

  @FieldResolver(() => Organization)
  to(@Root() referral: ReferralEntity, @Ctx() ctx: Context) {
    return ctx.loaders.organizationById.load(referral.toId);
  }

  @FieldResolver(() => Eligibility)
  eligibility(@Root() referral: ReferralEntity): Eligibility {
    return toEligibility(referral);
  }
}
