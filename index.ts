import { BackendStack } from "./components/backendStack";
import { SwarmStack } from "./components/swarmStack";
import { loadSettings } from "./stacks/settings";

const settings = loadSettings();
// engine=swarm: services across a swarm; otherwise containers on one Docker host.
const { outputs } = settings.swarm ? new SwarmStack(settings.stack, { ...settings, swarm: settings.swarm }) : new BackendStack(settings.stack, settings);

/** Where the edge serves the application. */
export const url = outputs.url;
/** The release images, by the digest the app runs. */
export const backendImage = outputs.backendImage;
export const nginxImage = outputs.nginxImage;
export const registryServer = outputs.registryServer;
export const redisSentinels = outputs.redisSentinels;
export const release = settings.release;
/** The backend version whose release check and migration succeeded (a failed one fails the update). */
export const migrated = outputs.migrated;
