import { registerEnumType } from "type-graphql";

// The contract's vocabulary (docs/api.md, "Vocabulary"). The stored values are these names.

export enum OrganizationKind {
  ASSOCIATION = "ASSOCIATION",
  NGO = "NGO",
  PUBLIC_AUTHORITY = "PUBLIC_AUTHORITY",
  PUBLIC_SERVICE = "PUBLIC_SERVICE",
  EDUCATION_PROVIDER = "EDUCATION_PROVIDER",
  EMPLOYER = "EMPLOYER",
  FAITH_BASED = "FAITH_BASED",
  NETWORK = "NETWORK",
  FUNDER = "FUNDER",
  VOLUNTEER_GROUP = "VOLUNTEER_GROUP",
  OTHER = "OTHER",
}

export enum ServiceCategory {
  RESETTLEMENT_SUPPORT = "RESETTLEMENT_SUPPORT",
  SOCIAL_ORIENTATION = "SOCIAL_ORIENTATION",
  HOUSING = "HOUSING",
  LANGUAGE_LEARNING = "LANGUAGE_LEARNING",
  VOCATIONAL_ORIENTATION = "VOCATIONAL_ORIENTATION",
  EMPLOYMENT = "EMPLOYMENT",
  EDUCATION = "EDUCATION",
  MENTORING = "MENTORING",
  SPORT_AND_CULTURE = "SPORT_AND_CULTURE",
  HEALTH = "HEALTH",
  LEGAL_AID = "LEGAL_AID",
  ADMINISTRATIVE_SUPPORT = "ADMINISTRATIVE_SUPPORT",
  VOLUNTEER_MOBILIZATION = "VOLUNTEER_MOBILIZATION",
  MOBILITY = "MOBILITY",
  CHILD_PROTECTION = "CHILD_PROTECTION",
  OTHER = "OTHER",
}

export enum TargetGroup {
  RESETTLED_REFUGEE = "RESETTLED_REFUGEE",
  ASYLUM_SEEKER = "ASYLUM_SEEKER",
  BENEFICIARY_OF_PROTECTION = "BENEFICIARY_OF_PROTECTION",
  UNACCOMPANIED_MINOR = "UNACCOMPANIED_MINOR",
  MIGRANT = "MIGRANT",
}

export enum ReferralStatus {
  ACTIVE = "ACTIVE",
  PILOT = "PILOT",
  ENDED = "ENDED",
}

export enum PartnershipKind {
  PARTNERSHIP = "PARTNERSHIP",
  FUNDING = "FUNDING",
  COORDINATION = "COORDINATION",
  MEMBERSHIP = "MEMBERSHIP",
}

export enum ReferralDirection {
  DOWNSTREAM = "DOWNSTREAM",
  UPSTREAM = "UPSTREAM",
}

export enum MeetingFormat {
  ONLINE = "ONLINE",
  IN_PERSON = "IN_PERSON",
  HYBRID = "HYBRID",
}

export enum Role {
  ADMIN = "ADMIN",
  EDITOR = "EDITOR",
  VIEWER = "VIEWER",
}

registerEnumType(OrganizationKind, { name: "OrganizationKind", description: "What kind of body an organization is." });
registerEnumType(ServiceCategory, { name: "ServiceCategory", description: "What a service or a referral is for." });
registerEnumType(TargetGroup, { name: "TargetGroup", description: "Who a service or referral is meant for." });
registerEnumType(ReferralStatus, {
  name: "ReferralStatus",
  description: "ACTIVE and PILOT referrals can be walked; ENDED ones are kept as history.",
});
registerEnumType(PartnershipKind, { name: "PartnershipKind" });
registerEnumType(ReferralDirection, { name: "ReferralDirection" });
registerEnumType(MeetingFormat, { name: "MeetingFormat" });
registerEnumType(Role, { name: "Role", description: "What an API key may do." });

