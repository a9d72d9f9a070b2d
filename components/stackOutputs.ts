import * as pulumi from "@pulumi/pulumi";

/** What a deployment tells its user, whatever the target (the program's stack outputs). */
export interface StackOutputs {
  /** Where the edge serves the application. */
  readonly url: pulumi.Output<string>;
  /** The release images, by the digest the app runs. */
  readonly backendImage: pulumi.Output<string>;
  readonly nginxImage: pulumi.Output<string>;
  readonly registryServer: pulumi.Output<string>;
  readonly redisSentinels: string[];
  /** The backend version whose release check and migration succeeded. */
  readonly migrated: pulumi.Output<string>;
}
