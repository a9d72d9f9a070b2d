/**
 * The pack as the Pulumi CLI runs it: `pulumi-analyzer-policy` (the CLI's shim) resolves
 * `@pulumi/pulumi/cmd/run-policy-pack` from the pack's directory and runs it with node there,
 * with the engine's address and "."; the CLI puts the stack's name and config in the
 * environment (analyzer_plugin.go constructEnv). The pack prints the port of its analyzer gRPC
 * server; the test then plays the engine over gRPC with the SDK's own protobuf messages.
 */
import { ChildProcess, spawn } from "child_process";
import { packModule, POLICY_DIR } from "./sdk";

const grpc = packModule<any>("@grpc/grpc-js");
export const rpc = packModule<any>("@pulumi/pulumi/proto/analyzer_grpc_pb");
export const pb = packModule<any>("@pulumi/pulumi/proto/analyzer_pb");
const { Struct } = packModule<any>("google-protobuf/google/protobuf/struct_pb");
const { Empty } = packModule<any>("google-protobuf/google/protobuf/empty_pb");

export interface PackProcess {
  readonly child: ChildProcess;
  /** Calls an Analyzer RPC and resolves with its response as a plain object. */
  call(method: "getAnalyzerInfo" | "analyze" | "analyzeStack", request?: unknown): Promise<any>;
  stop(): void;
}

export async function startPack(stack: string, config: Record<string, string>): Promise<PackProcess> {
  const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [POLICY_DIR] });
  const child = spawn(process.execPath, [runner, "127.0.0.1:1", "."], {
    cwd: POLICY_DIR,
    env: { ...process.env, PULUMI_NODEJS_STACK: stack, PULUMI_NODEJS_PROJECT: "php-backend", PULUMI_CONFIG: JSON.stringify(config) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  const port = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d) => {
      out += d;
      const m = /^(\d+)\s*$/m.exec(out);
      if (m) resolve(m[1]);
    });
    child.on("exit", (code) => reject(new Error(`the pack exited with ${code} before serving:\n${stderr}${out}`)));
  });
  const client = new rpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  return {
    child,
    call: (method, request = new Empty()) =>
      new Promise((resolve, reject) => client[method](request, (err: Error | null, res: any) => (err ? reject(err) : resolve(res.toObject())))),
    stop: () => {
      client.close();
      child.kill();
    },
  };
}

/** Resource options as the engine always sends them (the SDK refuses a request without). */
function options(): unknown {
  const o = new pb.AnalyzerResourceOptions();
  o.setCustomtimeouts(new pb.AnalyzerResourceOptions.CustomTimeouts());
  return o;
}

export function analyzeRequest(type: string, name: string, props: Record<string, unknown>, stack: string): unknown {
  const req = new pb.AnalyzeRequest();
  req.setType(type);
  req.setName(name);
  req.setUrn(`urn:pulumi:${stack}::php-backend::${type}::${name}`);
  req.setProperties(Struct.fromJavaScript(props));
  req.setOptions(options());
  return req;
}

export function analyzeStackRequest(resources: { type: string; name: string; props: Record<string, unknown> }[], stack: string): unknown {
  const req = new pb.AnalyzeStackRequest();
  req.setResourcesList(resources.map((r) => {
    const res = new pb.AnalyzerResource();
    res.setType(r.type);
    res.setName(r.name);
    res.setUrn(`urn:pulumi:${stack}::php-backend::${r.type}::${r.name}`);
    res.setProperties(Struct.fromJavaScript(r.props));
    res.setOptions(options());
    return res;
  }));
  return req;
}
