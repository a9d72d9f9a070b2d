import type { StackValidationPolicy } from "@pulumi/policy";
import { containersWithRole, uploadsOf } from "./docker";

const MONITOR = /^\s*sentinel\s+monitor\s+(\S+)\s+(\S+)\s+(\d+)\s+(\d+)\s*$/m;

/** The quorum of the `sentinel monitor <name> <host> <port> <quorum>` line in any upload. */
export function sentinelQuorumOf(props: Record<string, any>): number | undefined {
  for (const upload of uploadsOf(props)) {
    const m = MONITOR.exec(upload.content ?? "");
    if (m) return Number(m[4]);
  }
  return undefined;
}

/**
 * The sentinels' quorum is a majority of the sentinels the stack runs (more than half, at most
 * all of them). Read from each sentinel's uploaded config (`sentinel monitor … <quorum>`),
 * against the number of containers with role `redis-sentinel`.
 *
 * Limits: Redis itself needs a majority of sentinels to authorise a failover whatever the
 * quorum; a lower quorum lets a minority (one side of a partition) declare the master down and
 * start elections it cannot win, a quorum above the count never fails over. Only sentinels of
 * this stack are counted. Advisory.
 */
export const sentinelQuorum: StackValidationPolicy = {
  name: "sentinel-quorum-majority",
  description: "The Redis sentinels' quorum is a majority of the sentinels.",
  enforcementLevel: "advisory",
  validateStack: (args, reportViolation) => {
    const sentinels = containersWithRole(args.resources, "redis-sentinel");
    if (sentinels.length === 0) args.notApplicable("the stack runs no Redis sentinels");
    const majority = Math.floor(sentinels.length / 2) + 1;
    for (const s of sentinels) {
      const quorum = sentinelQuorumOf(s.props);
      if (quorum === undefined) {
        reportViolation(`sentinel "${s.name}" has no \`sentinel monitor\` line in its uploaded config`, s.urn);
      } else if (quorum < majority || quorum > sentinels.length) {
        reportViolation(`sentinel "${s.name}": quorum ${quorum} of ${sentinels.length} sentinels is not a majority (${majority}..${sentinels.length}): set sentinelQuorum`, s.urn);
      }
    }
  },
};
