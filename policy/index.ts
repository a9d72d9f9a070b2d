import * as pulumi from "@pulumi/pulumi";
import { PolicyPack } from "@pulumi/policy";
import { contextFromConfig } from "./context";
import { policies } from "./policies";

/**
 * The pack the Pulumi CLI runs with `pulumi preview --policy-pack policy` (or `up`). The CLI
 * starts it with the stack's name and config in the environment (see context.ts), which the
 * SDK reads; constructing the PolicyPack starts the analyzer's gRPC server.
 */
new PolicyPack("php-backend", {
  description: "Guard rails for the php-backend Docker deployment",
  policies: policies(contextFromConfig(pulumi.getStack(), pulumi.runtime.allConfig())),
});
