import type { ResourceValidationPolicy } from "@pulumi/policy";
import type { PackContext } from "../context";
import { NGINX_SITE_FILE, roleOf, TYPES, uploadContent, uploadsOf } from "./docker";

/** Where the program uploads the edge's certificate chain and key (release/names.ts). */
export const TLS_DIR = "/etc/nginx/tls/";
/** The edge's config line behind a load balancer: it passes the balancer's scheme on. */
export const LOAD_BALANCER_LINE = "proxy_set_header X-Forwarded-Proto $forwarded_proto;";
const LISTEN_TLS = /^\s*listen\s+443\s+ssl\b/m;

/** How the edge container serves HTTPS, or why it does not. */
export function edgeTlsMode(props: Record<string, any>): { ok: true; mode: string } | { ok: false; reason: string } {
  const site = uploadContent(props, NGINX_SITE_FILE) ?? "";
  if (site.includes(LOAD_BALANCER_LINE)) return { ok: true, mode: "behind a load balancer" };
  const tlsFiles = uploadsOf(props).filter((u) => u.file.startsWith(TLS_DIR));
  const publishes443 = (props.ports ?? []).some((p: { internal: number }) => p.internal === 443);
  if (tlsFiles.length >= 2 && LISTEN_TLS.test(site) && publishes443) return { ok: true, mode: "at the edge" };
  const lacks = [
    tlsFiles.length < 2 && `a certificate and key under ${TLS_DIR}`,
    !LISTEN_TLS.test(site) && "`listen 443 ssl` in its nginx config",
    !publishes443 && "a published port 443",
  ].filter(Boolean);
  return { ok: false, reason: `it lacks ${lacks.join(", ")}; and its config does not pass a load balancer's X-Forwarded-Proto on` };
}

/**
 * In prod the edge serves HTTPS: either it terminates TLS itself (certificate and key uploaded
 * under /etc/nginx/tls/, `listen 443 ssl`, port 443 published), or a load balancer in front does
 * (tlsTermination=loadBalancer), which the pack recognises by the line the program renders into
 * the edge's config in that mode only: `proxy_set_header X-Forwarded-Proto $forwarded_proto;`.
 *
 * Limits: the load balancer is not part of this stack, so the pack cannot see that it exists,
 * holds a valid certificate or is the only client of the edge's port; it trusts the rendered
 * config. It does not check the certificate either (the program checks it against appUrl).
 */
export function edgeTls(ctx: PackContext): ResourceValidationPolicy {
  return {
    name: "prod-edge-tls",
    description: "In prod the edge serves HTTPS itself or sits behind a TLS-terminating load balancer.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
      if (!ctx.prod) args.notApplicable(`stack "${ctx.stack}" is not prod`);
      if (args.type !== TYPES.container || roleOf(args.props) !== "edge") return;
      const tls = edgeTlsMode(args.props);
      if (!tls.ok) reportViolation(`edge "${args.name}" serves plain HTTP: ${tls.reason}`);
    },
  };
}
