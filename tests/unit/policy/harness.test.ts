import * as docker from "@pulumi/docker";
import { ResourceSpec, resourceArgs, stackArgs } from "./support/analyzer";
import { container, remoteImage } from "./support/fixtures";
import { UnknownValueError } from "./support/sdk";

/** The args the harness hands a policy behave as the SDK's (server.js makeAnalyzeRpcFun / makeAnalyzeStackRpcFun). */
describe("the policy harness", () => {
  test("isType and asType match a resource class by its Pulumi type token", () => {
    const args = resourceArgs(container("fpm-0", "php-fpm"));
    expect(args.isType(docker.Container)).toBe(true);
    expect(args.isType(docker.RemoteImage)).toBe(false);
    expect(args.asType(docker.Container)?.memory).toBe(256);
    expect(args.asType(docker.RemoteImage)).toBeUndefined();
  });

  test("props throw the SDK's UnknownValueError on a value unknown during a preview", () => {
    const args = resourceArgs(container("fpm-0", "php-fpm", { image: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" }));
    expect(() => args.props.image).toThrow(UnknownValueError);
  });

  test("stack resources link their parent and dependencies by URN", () => {
    const image: ResourceSpec = { ...remoteImage("edge-image", "nginx:1.27"), urn: "urn:image" };
    const edge: ResourceSpec = { ...container("edge", "edge"), parent: "urn:image", dependencies: ["urn:image"] };
    const [, built] = stackArgs([image, edge]).resources;
    expect(built.parent?.name).toBe("edge-image");
    expect(built.dependencies.map((d) => d.name)).toEqual(["edge-image"]);
    expect(built.opts.parent).toBe("urn:image");
  });
});
