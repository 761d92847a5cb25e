import { startTestApp, TestApp } from "../helpers/app";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ seed: true });
});
afterAll(() => app.close());

const PLATFORM = `region { slug } coordinator { slug } members { slug }
  meetings { date title format participantCount organizers { slug } presenters { slug } topics notes }`;

describe("platforms", () => {
  it("when the Corrèze platform is read by slug, then its coordinator, members and two roundtables come", async () => {
    const data = await app.ok(`{ platform(id: "correze-platform") { id slug name ${PLATFORM} } }`);
    const p = data.platform;
    expect(p.region.slug).toBe("correze");
    expect(p.coordinator.slug).toBe("entraide-pierre-valdo");
    expect(p.members.map((m: any) => m.slug)).toEqual(
      expect.arrayContaining(["entraide-pierre-valdo", "chemins-singuliers", "mosaik", "mission-locale", "institut-don-bosco"]),
    );
    const [second, third] = p.meetings;
    expect(second).toMatchObject({ date: "2021-09-23", format: "ONLINE", participantCount: 12 });
    expect(second.organizers.map((o: any) => o.slug).sort()).toEqual(["entraide-pierre-valdo", "icmc-europe"]);
    expect(second.presenters.map((o: any) => o.slug).sort()).toEqual(["chemins-singuliers", "mosaik"]);
    expect(second.topics.join(" ").toLowerCase()).toMatch(/factfile/);
    expect(third).toMatchObject({ date: "2022-01-27", participantCount: 13 });
    expect(third.presenters.map((o: any) => o.slug)).toContain("institut-don-bosco");
    expect(third.notes.toLowerCase()).toMatch(/mental health/);

    const byId = await app.ok(`query($id: ID!) { platform(id: $id) { slug } }`, { id: p.id });
    expect(byId.platform.slug).toBe("correze-platform");
  });

  it("when all platforms are listed, then each region of the Share SIRA network has one with a coordinator", async () => {
    const data = await app.ok(`{ platforms { slug region { slug } coordinator { slug } } regions { slug } }`);
    const withPlatform = new Set(data.platforms.map((p: any) => p.region.slug));
    for (const region of data.regions) expect(withPlatform).toContain(region.slug);
    expect(data.platforms.every((p: any) => p.coordinator !== null)).toBe(true);
    const coordinator = Object.fromEntries(data.platforms.map((p: any) => [p.region.slug, p.coordinator.slug]));
    expect(coordinator).toMatchObject({ vaucluse: "entraide-pierre-valdo", teruel: "iom-spain", mazovia: "iom-poland", karditsa: "anka" });
  });

  it("when a platform does not exist, then null", async () => {
    expect((await app.ok(`{ platform(id: "atlantis-platform") { id } }`)).platform).toBeNull();
  });
});
