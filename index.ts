import { BackendStack } from "./components/backendStack";
import { SwarmStack } from "./components/swarmStack";
import { loadSettings } from "./stacks/settings";

const settings = loadSettings();
// engine=swarm: services across a swarm; otherwise containers on one Docker host.
const stack = settings.swarm ? new SwarmStack(settings.stack, { ...settings, swarm: settings.swarm }) : new BackendStack(settings.stack, settings);

/** Where the edge serves the application. */
export const url = stack.url;
/** The release images, by the digest the containers run. */
export const backendImage = stack.backendImage;
export const nginxImage = stack.nginxImage;
export const registryServer = stack.registryServer;
export const redisSentinels = stack.redisSentinels;
export const release = settings.release;
/** The backend version whose release check and migration succeeded (a failed one fails the update). */
export const migrated = stack.migrated;
