import type { Policies } from "@pulumi/policy";
import type { PackContext } from "./context";
import { edgeTls } from "./rules/edgeTls";
import { hostPorts } from "./rules/hostPorts";
import { imagePinning } from "./rules/imagePinning";
import { longRunning } from "./rules/longRunning";
import { noDatabase } from "./rules/noDatabase";
import { noLatest } from "./rules/noLatest";
import { replicas } from "./rules/replicas";
import { noGeneratedSecret, noSecretConfig } from "./rules/secrets";
import { sentinelQuorum } from "./rules/sentinelQuorum";
import { swarmServices } from "./rules/swarmServices";

/** Every policy of the pack, for one stack. Kept apart from index.ts, which starts the pack's server. */
export function policies(ctx: PackContext): Policies {
  return [
    // mandatory, every stack
    imagePinning(ctx),
    hostPorts,
    longRunning(),
    noSecretConfig(ctx),
    noGeneratedSecret,
    swarmServices(ctx),
    // mandatory, prod
    noLatest(ctx),
    edgeTls(ctx),
    noDatabase(ctx),
    // advisory
    replicas(ctx),
    sentinelQuorum,
  ];
}
