import { createHash } from "crypto";
import type * as pulumi from "@pulumi/pulumi";
import { isSecretWrapper, unwrapSecrets } from "../../../harness/secrets";

export { isSecretWrapper, unwrapSecrets };

/** Every string reachable in `value` outside a secret wrapper, with its path. */
export function plainStrings(value: unknown, path = ""): { path: string; text: string }[] {
  if (isSecretWrapper(value)) return [];
  if (typeof value === "string") return [{ path, text: value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => plainStrings(v, `${path}[${i}]`));
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => plainStrings(v, path ? `${path}.${k}` : k));
  }
  return [];
}

export interface RecordedResource {
  readonly type: string;
  readonly name: string;
  /** Inputs as the monitor received them, secret wrappers included. */
  readonly raw: Record<string, unknown>;
  /** Inputs with secrets unwrapped. */
  readonly inputs: Record<string, any>;
}

const digestOf = (seed: string) => `sha256:${createHash("sha256").update(seed).digest("hex")}`;
const repoOf = (imageName: string) => imageName.replace(/:[^:/]+$/, "");

type Outputs = (inputs: Record<string, any>, name: string) => Record<string, unknown>;

/** What each known resource type computes; any other type is refused. */
const COMPUTED: Record<string, Outputs> = {
  // The digest depends on everything that goes into the build, as a real one would.
  "docker:index/image:Image": (i) => ({
    repoDigest: `${repoOf(i.imageName)}@${digestOf(JSON.stringify([i.imageName, i.build]))}`,
    baseImageName: i.imageName,
    registryServer: i.registry?.server,
  }),
  "docker:index/remoteImage:RemoteImage": (i) => ({ imageId: digestOf(i.name), repoDigest: `${i.name}@${digestOf(i.name)}` }),
  "docker:index/container:Container": (i, name) => ({
    name: i.name ?? `${name}-abc1234`,
    exitCode: i.attach ? 0 : undefined,
    containerLogs: i.logs ? "Nothing to migrate." : undefined,
  }),
  "docker:index/network:Network": (i, name) => ({ name: i.name ?? name }),
  "docker:index/volume:Volume": (i, name) => ({ name: i.name ?? name }),
  "docker:index/service:Service": (i) => ({ name: i.name }),
  "docker:index/secret:Secret": (i) => ({ name: i.name }),
  "docker:index/serviceConfig:ServiceConfig": (i) => ({ name: i.name }),
  "random:index/randomPassword:RandomPassword": (_, name) => ({ result: `generated-password-${name}` }),
  "random:index/randomBytes:RandomBytes": (_, name) => ({
    base64: Buffer.from(`generated-bytes-${name}`).toString("base64"),
    hex: Buffer.from(`generated-bytes-${name}`).toString("hex"),
  }),
  "alicloud:cr/namespace:Namespace": (i) => ({ name: i.name }),
  "alicloud:cr/repo:Repo": (i) => ({ name: i.name }),
  "alicloud:cs/registryEnterpriseNamespace:RegistryEnterpriseNamespace": (i) => ({ name: i.name }),
  "alicloud:cs/registryEnterpriseRepo:RegistryEnterpriseRepo": (i) => ({ name: i.name }),
};

/** Records every resource the program declares and supplies what a provider would compute. */
export class RecordingMocks implements pulumi.runtime.Mocks {
  readonly resources: RecordedResource[] = [];
  private rejectRun: (e: Error) => void = () => undefined;
  /** Rejects with the first refused resource, so a test fails at once instead of hanging. */
  readonly refused = new Promise<never>((_, reject) => (this.rejectRun = reject));

  constructor() {
    this.refused.catch(() => undefined);
  }

  newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
    const raw = args.inputs as Record<string, unknown>;
    const inputs = unwrapSecrets(raw);
    this.resources.push({ type: args.type, name: args.name, raw, inputs });
    if (args.type.startsWith("pulumi:providers:")) return { id: `${args.name}-provider`, state: inputs };
    if (args.type.startsWith("php-backend:")) return { id: "", state: {} };
    const computed = COMPUTED[args.type];
    if (!computed) {
      const error = new Error(`RecordingMocks: unexpected resource type ${args.type} (${args.name})`);
      this.rejectRun(error);
      throw error;
    }
    return { id: `${args.name}-id`, state: { ...inputs, ...computed(inputs, args.name) } };
  }

  call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
    throw new Error(`RecordingMocks: unexpected call ${args.token}`);
  }

  /** Custom resources of `type`, or every component when `type` is "component". */
  ofType(type: string): RecordedResource[] {
    return this.resources.filter((r) => r.type === type);
  }
}
