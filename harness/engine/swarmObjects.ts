/**
 * docker.Secret and docker.ServiceConfig, as terraform-provider-docker v4.5.0 creates, reads and
 * deletes them (every field is ForceNew, so there is no update):
 * - resource_docker_secret.go, resourceDockerSecretCreate: SecretCreate with name, the data
 *   base64-decoded (StdEncoding; validateStringIsBase64Encoded checked it), labels;
 *   resourceDockerSecretRead sets the name only (the data is not exposed by the API, labels are
 *   not read); resourceDockerSecretDelete: SecretRemove.
 * - resource_docker_config.go, resourceDockerConfigCreate: ConfigCreate with name, the decoded
 *   data, labels; resourceDockerConfigRead sets name, data (base64.StdEncoding of the daemon's
 *   bytes: the program's data must be standard, padded base64 or every run replaces it) and
 *   labels; resourceDockerConfigDelete: ConfigRemove. `dataRaw` is not implemented.
 * Both carry the run label (not read back as the program's).
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { Created, EngineContext } from "./context";
import { engine } from "./dockerApi";
import { labelMap, onlyKnown, required } from "./inputs";
import { RUN_LABEL } from "./ledger";

type SecretIn = pulumi.Unwrap<docker.SecretArgs>;
type ConfigIn = pulumi.Unwrap<docker.ServiceConfigArgs>;

/** validators.go validateStringIsBase64Encoded: base64.StdEncoding.DecodeString must succeed. */
function decode(where: string, data: string): Buffer {
  const s = data.replace(/[\r\n]/g, ""); // the decoder skips newlines
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s) || /=[^=]/.test(s)) {
    throw new Error(`${where}: '${data}' is not base64 decodeable`);
  }
  return Buffer.from(s, "base64");
}

async function createObject(ctx: EngineContext, kind: "secret" | "config", where: string, name: string, data: Buffer, labels: Record<string, string>) {
  const { ID } = await engine<{ ID: string }>("POST", `/${kind}s/create`, {
    Name: name,
    Labels: { ...labels, [RUN_LABEL]: ctx.runId },
    Data: data.toString("base64"),
  }).catch((e: Error) => {
    throw new Error(`${where}: ${e.message}`);
  });
  ctx.ledger.add(kind, ID);
  return engine<{ ID: string; Spec: { Name: string; Labels?: Record<string, string>; Data?: string } }>("GET", `/${kind}s/${ID}`);
}

export async function createSecret(ctx: EngineContext, resourceName: string, i: SecretIn): Promise<Created> {
  const where = `Secret "${resourceName}"`;
  onlyKnown(where, i, ["name", "data", "labels"]);
  const data = decode(`${where} data`, required(`${where} data`, i.data));
  const s = await createObject(ctx, "secret", where, required(`${where} name`, i.name), data, labelMap(`${where} labels`, i.labels));
  return { id: s.ID, outputs: { name: s.Spec.Name }, state: { ...i, name: s.Spec.Name } };
}

export async function createServiceConfig(ctx: EngineContext, resourceName: string, i: ConfigIn): Promise<Created> {
  const where = `ServiceConfig "${resourceName}"`;
  onlyKnown(where, i, ["name", "data", "labels"]);
  const data = decode(`${where} data`, required(`${where} data`, i.data));
  const c = await createObject(ctx, "config", where, required(`${where} name`, i.name), data, labelMap(`${where} labels`, i.labels));
  const labels = Object.entries(c.Spec.Labels ?? {}).filter(([k]) => k !== RUN_LABEL).map(([label, value]) => ({ label, value }));
  const read = { name: c.Spec.Name, data: c.Spec.Data ?? "", labels };
  return { id: c.ID, outputs: read, state: { ...i, ...read } };
}

/** SecretRemove / ConfigRemove. */
export async function removeObject(kind: "secret" | "config", id: string): Promise<void> {
  await engine("DELETE", `/${kind}s/${id}`);
}
