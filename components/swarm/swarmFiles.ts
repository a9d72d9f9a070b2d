/**
 * Files the swarm hands to tasks: Docker secrets (anything that holds a secret) and Docker
 * configs (everything else). Both are immutable in the engine, so each is named after its
 * content: new content is a new object, and a service that refers to it gets a rolling update.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { createHash, createHmac } from "crypto";
import { stackLabels } from "./swarmSpec";

type SecretFile = docker.types.input.ServiceTaskSpecContainerSpecSecret;
type ConfigFile = docker.types.input.ServiceTaskSpecContainerSpecConfig;

/** Where an app task finds a secret variable: the backend image's entrypoint exports each file as NAME. */
export const secretEnvFile = (name: string) => `/run/secrets/${name}`;

const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
const base64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

/**
 * The stack's Docker secrets. A secret's name carries an HMAC of its value under a key generated
 * once per stack (kept in state, secret), so the name changes with the value yet tells nothing
 * about it, not even to someone who can guess a weak password.
 */
export class SwarmSecrets {
  private readonly key: pulumi.Output<string>;
  private readonly made = new Map<string, docker.Secret>();

  constructor(
    private readonly parent: pulumi.Resource,
    private readonly name: string,
    private readonly stack: string,
  ) {
    this.key = new random.RandomBytes(`${name}-secret-names`, { length: 32 }, { parent }).base64;
  }

  /**
   * The Docker secret holding `value` (one per `id`), as a file at `fileName` readable by root
   * only unless `mode` says otherwise.
   */
  file(id: string, value: pulumi.Input<string>, fileName: string, mode = 0o400): SecretFile {
    const secret = this.secret(id, value);
    return { secretId: secret.id, secretName: secret.name, fileName, fileMode: mode };
  }

  private secret(id: string, value: pulumi.Input<string>): docker.Secret {
    const existing = this.made.get(id);
    if (existing) return existing;
    const digest = pulumi.all([this.key, value]).apply(([key, v]) => createHmac("sha256", key).update(v).digest("hex").slice(0, 12));
    const secret = new docker.Secret(
      `${this.name}-secret-${slug(id)}`,
      {
        // The digest is keyed: the name is no secret.
        name: pulumi.unsecret(digest).apply((d) => `${this.stack}-${slug(id)}-${d}`),
        data: pulumi.secret(pulumi.output(value).apply(base64)),
        labels: stackLabels(this.stack),
      },
      // Create-first: the services move to the new secret before the old one is deleted (the
      // engine refuses to delete a secret a service still refers to).
      { parent: this.parent, deleteBeforeReplace: false },
    );
    this.made.set(id, secret);
    return secret;
  }
}

/** The stack's Docker configs: a config per distinct content, its logical name carrying the content's digest. */
export class SwarmConfigs {
  private readonly made = new Map<string, docker.ServiceConfig>();

  constructor(
    private readonly parent: pulumi.Resource,
    private readonly name: string,
    private readonly stack: string,
  ) {}

  /** A plain file: `id` names what it is (e.g. "php-fpm-pool"); `content` is known now. */
  file(id: string, content: string, fileName: string, mode = 0o444): ConfigFile {
    const digest = createHash("sha256").update(content).digest("hex").slice(0, 12);
    const key = `${slug(id)}-${digest}`;
    let config = this.made.get(key);
    if (!config) {
      config = new docker.ServiceConfig(
        `${this.name}-config-${key}`,
        { name: `${this.stack}-${key}`, data: base64(content) },
        // Never replaced: another content is another resource, and the old one is deleted at the
        // end of the update, once no service refers to it. The order is stated all the same.
        { parent: this.parent, deleteBeforeReplace: true },
      );
      this.made.set(key, config);
    }
    return { configId: config.id, configName: config.name, fileName, fileMode: mode };
  }
}
