import { policies } from "../../../policy/policies";
import { T } from "../support/resources";
import { analyze, Violation } from "./support/analyzer";
import { policyView } from "./support/stackRun";

/** The whole pack on the program's own stacks: what `pulumi up --policy-pack policy` would report. */
const byLevel = (found: Violation[], level: string) => found.filter((v) => v.level === level);

describe.each(["local", "dev", "prod", "local-swarm"])("the pack on stack %s", (stack) => {
  let found: Violation[];
  let checked: { inputs: number; outputs: number; containers: number };
  beforeAll(async () => {
    const view = await policyView(stack);
    found = await analyze(policies(view.ctx), view.inputs, view.outputs, stack);
    checked = { inputs: view.inputs.length, outputs: view.outputs.length, containers: view.inputs.filter((r) => r.type === T.container || r.type === T.service).length };
  }, 60_000);

  test("reports no mandatory violation", () => {
    expect(byLevel(found, "mandatory")).toEqual([]);
  });

  test("reports no advisory violation either", () => {
    expect(byLevel(found, "advisory")).toEqual([]);
  });

  test("was handed every resource the program declares", () => {
    expect(checked.containers).toBeGreaterThan(10);
    expect(checked.outputs).toBe(checked.inputs);
  });
});

describe("the pack on a prod stack with broken configuration", () => {
  let found: Violation[];
  beforeAll(async () => {
    // No load balancer and no certificate: the program accepts it (appUrl is http), the pack does not.
    // One php-fpm replica and a quorum of 2 of 5 sentinels: allowed by the program, advised against.
    const view = await policyView("prod", {
      "php-backend:tlsTermination": "edge",
      "php-backend:appUrl": "http://www.example.com",
      "php-backend:fpmReplicas": "1",
      "php-backend:sentinelQuorum": "2",
    });
    found = await analyze(policies(view.ctx), view.inputs, view.outputs, "prod");
  }, 60_000);

  test("fails on the edge serving plain HTTP, and only on that", () => {
    const mandatory = byLevel(found, "mandatory");
    expect(mandatory.map((v) => v.policy)).toEqual(["prod-edge-tls"]);
    expect(mandatory[0].message).toMatch(/^edge "prod-edge" serves plain HTTP: it lacks a certificate and key under \/etc\/nginx\/tls\/, `listen 443 ssl`/);
  });

  test("advises more php-fpm replicas and a majority quorum", () => {
    const advisory = byLevel(found, "advisory");
    expect(advisory.filter((v) => v.policy === "prod-serving-replicas").map((v) => v.message)).toEqual([
      "1 php-fpm container(s) in prod: run at least 2 (fpmReplicas / nginxReplicas)",
    ]);
    const quorum = advisory.filter((v) => v.policy === "sentinel-quorum-majority");
    expect(quorum).toHaveLength(5);
    expect(quorum[0].message).toContain("quorum 2 of 5 sentinels is not a majority (3..5)");
    expect(quorum[0].urn).toBe("urn:pulumi:prod::php-backend::php-backend:stack:BackendStack$php-backend:redis:RedisSentinelSet$docker:index/container:Container::prod-redis-sentinel-0");
  });
});
