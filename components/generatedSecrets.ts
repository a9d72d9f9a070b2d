import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { StackSettings } from "../stacks/types";

/** Secrets the stack may leave unset are generated once and kept in state (as secrets). */
export function generatedSecrets(parent: pulumi.Resource, name: string, s: StackSettings) {
  const appKey = s.app.key ?? pulumi.secret(
    new random.RandomBytes(`${name}-app-key`, { length: 32 }, { parent }).base64.apply((b64) => `base64:${b64}`),
  );
  const redisPassword = s.redis.password ?? pulumi.secret(
    new random.RandomPassword(`${name}-redis-password`, { length: 32, special: false }, { parent }).result,
  );
  const dbPassword = s.database.password ?? pulumi.secret(
    new random.RandomPassword(`${name}-db-password`, { length: 32, special: false }, { parent }).result,
  );
  return { appKey, redisPassword, dbPassword };
}
