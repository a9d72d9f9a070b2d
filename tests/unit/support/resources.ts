import { RecordedResource } from "./recordingMocks";

export const T = {
  container: "docker:index/container:Container",
  image: "docker:index/image:Image",
  network: "docker:index/network:Network",
  volume: "docker:index/volume:Volume",
  remoteImage: "docker:index/remoteImage:RemoteImage",
  service: "docker:index/service:Service",
  secret: "docker:index/secret:Secret",
  serviceConfig: "docker:index/serviceConfig:ServiceConfig",
  randomPassword: "random:index/randomPassword:RandomPassword",
  randomBytes: "random:index/randomBytes:RandomBytes",
} as const;

export function label(r: RecordedResource, key: string): string | undefined {
  return (r.inputs.labels as { label: string; value: string }[] | undefined)?.find((l) => l.label === key)?.value;
}

export const role = (r: RecordedResource) => label(r, "php-backend.role");

export function byRole(containers: RecordedResource[], wanted: string): RecordedResource[] {
  return containers.filter((c) => role(c) === wanted);
}

export function aliases(r: RecordedResource): string[] {
  return (r.inputs.networksAdvanced ?? []).flatMap((n: { aliases?: string[] }) => n.aliases ?? []);
}

export function envOf(r: RecordedResource): Record<string, string> {
  return Object.fromEntries((r.inputs.envs as string[] | undefined ?? []).map((e) => {
    const i = e.indexOf("=");
    return [e.slice(0, i), e.slice(i + 1)];
  }));
}
