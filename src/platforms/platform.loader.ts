import { DataSource, In } from "typeorm";
import { manyByKey } from "../common/loader";
import { MeetingEntity, MeetingParticipantEntity, PlatformMemberEntity } from "./platform.entity";

export function platformLoaders(db: DataSource) {
  return {
    platformMembersByPlatform: manyByKey(
      (ids) => db.getRepository(PlatformMemberEntity).findBy({ platformId: In([...ids]) }),
      (m) => m.platformId,
    ),
    meetingsByPlatform: manyByKey(
      (ids) => db.getRepository(MeetingEntity).find({ where: { platformId: In([...ids]) }, order: { date: "ASC", id: "ASC" } }),
      (m) => m.platformId,
    ),
    participantsByMeeting: manyByKey(
      (ids) => db.getRepository(MeetingParticipantEntity).findBy({ meetingId: In([...ids]) }),
      (p) => p.meetingId,
    ),
  };
}
