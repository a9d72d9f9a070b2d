import type { ResourceValidationPolicy } from "@pulumi/policy";
import { roleOf, TYPES } from "./docker";

const LOOPBACK = "127.0.0.1";

interface PortSpec {
  readonly internal: number;
  readonly external?: number;
  /** The docker provider binds 0.0.0.0 when unset. */
  readonly ip?: string;
}

/**
 * Only the edge (role `edge`) publishes host ports; the local registry (role `registry`) may,
 * on 127.0.0.1 only. Host networking and `publishAllPorts` publish every port a container
 * listens on, so no container may use them.
 *
 * Limits: the role is the container's `php-backend.role` label, which the program sets; a
 * container labelled `edge` by mistake is trusted. Whether the edge's own bind address is
 * reachable only from a load balancer is a matter for the host's firewall, not visible here.
 */
export const hostPorts: ResourceValidationPolicy = {
  name: "host-ports-edge-only",
  description: "Only the edge publishes host ports (and the local registry, on 127.0.0.1 only).",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (args.type !== TYPES.container) return;
    const role = roleOf(args.props);
    const who = `container "${args.name}" (role ${role ?? "none"})`;
    if (args.props.networkMode === "host") reportViolation(`${who} uses host networking, which publishes every port it listens on`);
    if (args.props.publishAllPorts === true) reportViolation(`${who} sets publishAllPorts, which publishes every exposed port`);
    const ports: PortSpec[] = args.props.ports ?? [];
    if (ports.length === 0 || role === "edge") return;
    if (role === "registry") {
      for (const p of ports.filter((p) => p.ip !== LOOPBACK)) {
        reportViolation(`${who} publishes port ${p.external ?? p.internal} on ${p.ip ?? "0.0.0.0"}: the local registry binds ${LOOPBACK} only`);
      }
      return;
    }
    const list = ports.map((p) => `${p.ip ?? "0.0.0.0"}:${p.external ?? "random"}->${p.internal}`).join(", ");
    reportViolation(`${who} publishes host ports ${list}: only the edge does; others are reached on the stack network`);
  },
};
