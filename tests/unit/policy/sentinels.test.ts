import { sentinelQuorum } from "../../../policy/rules/sentinelQuorum";
import { renderSentinel } from "../../../release/render/redis";
import { validateStack } from "./support/analyzer";
import { container } from "./support/fixtures";

/** Sentinels as the program declares them: the config it renders, uploaded into each. */
const sentinels = (count: number, quorum: number) =>
  Array.from({ length: count }, (_, i) => container(`redis-sentinel-${i}`, "redis-sentinel", {
    uploads: [{
      file: "/data/sentinel.conf",
      content: renderSentinel({
        hostname: `redis-sentinel-${i}`, serviceName: "app-redis", masterHost: "redis-0", quorum, password: "pw",
        downAfterMs: 5000, failoverTimeoutMs: 60000, parallelSyncs: 1,
      }),
    }],
  }));

describe("sentinel-quorum-majority (advisory, stack)", () => {
  test("passes a majority quorum", async () => {
    expect(await validateStack(sentinelQuorum, sentinels(3, 2))).toEqual([]);
    expect(await validateStack(sentinelQuorum, sentinels(5, 3))).toEqual([]);
    expect(await validateStack(sentinelQuorum, sentinels(5, 5))).toEqual([]);
  });

  test("advises on a quorum below a majority, or above the count, per sentinel", async () => {
    const low = await validateStack(sentinelQuorum, sentinels(5, 2), "prod");
    expect(low).toHaveLength(5);
    expect(low[0]).toEqual({
      policy: "sentinel-quorum-majority",
      level: "advisory",
      message: 'sentinel "redis-sentinel-0": quorum 2 of 5 sentinels is not a majority (3..5): set sentinelQuorum',
      urn: "urn:pulumi:prod::php-backend::docker:index/container:Container::redis-sentinel-0",
    });
    expect(await validateStack(sentinelQuorum, sentinels(4, 2))).toHaveLength(4);
    expect(await validateStack(sentinelQuorum, sentinels(3, 4))).toHaveLength(3);
  });

  test("advises on a sentinel without a monitor line, and is not applicable without sentinels", async () => {
    const [broken, ...rest] = sentinels(3, 2);
    const noMonitor = { ...broken, props: { ...broken.props, uploads: [{ file: "/data/sentinel.conf", content: "port 26379\n" }] } };
    expect((await validateStack(sentinelQuorum, [noMonitor, ...rest])).map((v) => v.message)).toEqual([
      'sentinel "redis-sentinel-0" has no `sentinel monitor` line in its uploaded config',
    ]);
    expect(await validateStack(sentinelQuorum, [container("redis-0", "redis")])).toEqual([]);
  });
});
