/**
 * The edge's settings, and the rules that tie HTTPS to `appUrl`: an https app is never deployed
 * without a certificate the edge can serve for it, unless a load balancer in front terminates TLS.
 */
import { createPrivateKey, X509Certificate } from "crypto";
import { isIP } from "net";
import { ConfigReader } from "./configReader";
import { pemBlocks } from "./formats";
import { AppSettings, EdgeSettings } from "./types";

/** `appUrl` comes from the app's settings, already read (and any problem with it reported). */
export function readEdge(r: ConfigReader, app: AppSettings): EdgeSettings {
  const appUrl = new URL(app.url);
  const https = appUrl.protocol === "https:";
  const termination = r.choice<"edge" | "loadBalancer">("tlsTermination");
  const certificate = r.string("tlsCertificate");
  const key = r.secret("tlsKey");
  const hasCertificate = certificate !== undefined || r.isSet("tlsCertificate");
  const aliases = readHostAliases(r, appUrl);

  if (termination === "loadBalancer") {
    if (!https) r.report("tlsTermination", `is loadBalancer, but appUrl "${appUrl.href}" is http://: set appUrl to the https:// address the load balancer serves, or use edge`, "edge");
    if (hasCertificate || key) {
      r.reportWithFix("tlsCertificate", "has no effect with tlsTermination=loadBalancer (the load balancer holds the certificate)", `pulumi config rm tlsCertificate --stack ${r.stack}; pulumi config rm tlsKey --stack ${r.stack}`);
    }
  } else if (https) {
    if (!hasCertificate) {
      r.reportWithFix("tlsCertificate", `is required: appUrl "${appUrl.href}" is https:// and the edge terminates TLS`,
        `pulumi config set tlsCertificate -- "$(cat fullchain.pem)" --stack ${r.stack} (or, when a load balancer in front terminates TLS: ${r.setCommand("tlsTermination", "loadBalancer")})`);
    }
    if (!r.isSet("tlsKey")) {
      r.reportWithFix("tlsKey", "is required with tlsCertificate", `pulumi config set --secret tlsKey -- "$(cat privkey.pem)" --stack ${r.stack}`);
    }
    if (certificate !== undefined) checkCertificateFits(r, certificate, appUrl, aliases);
  } else if (hasCertificate) {
    r.report("appUrl", `is "${appUrl.href}", but tlsCertificate is set: the edge redirects every request to HTTPS, so appUrl must be https://`, `https://${appUrl.host}`);
  }

  const tls = termination === "edge" && https && certificate !== undefined && key !== undefined ? { certificate, key } : undefined;
  return {
    httpPort: r.integer("edgeHttpPort"),
    httpsPort: r.integer("edgeHttpsPort"),
    bindAddress: r.string("edgeBindAddress")!,
    publicOrigin: appUrl.origin,
    tls,
    behindLoadBalancer: termination === "loadBalancer",
    appHealthPath: app.healthPath,
    hostAliases: aliases,
    maxBodySizeMb: r.integer("maxBodySizeMb"),
  };
}

/** appHostAliases as nginx sees a request's host: lower case, an IPv6 address in brackets. */
function readHostAliases(r: ConfigReader, appUrl: URL): string[] {
  const aliases = (r.string("appHostAliases") ?? "").split(",").filter((h) => h !== "")
    .map((h) => (isIP(h) === 6 ? `[${h}]` : h.toLowerCase()));
  if (aliases.includes(appUrl.hostname)) r.report("appHostAliases", `names appUrl's host "${appUrl.hostname}", which is always served: list only the other hosts`);
  else if (new Set(aliases).size !== aliases.length) r.report("appHostAliases", "names a host twice");
  return aliases;
}

/** The certificate must cover appUrl's host and its aliases, be valid now, and belong to tlsKey. */
function checkCertificateFits(r: ConfigReader, certificate: string, appUrl: URL, aliases: readonly string[]): void {
  // The value passed its format check: a chain of CERTIFICATE blocks, the leaf first.
  const leaf = new X509Certificate(pemBlocks(certificate, /^CERTIFICATE$/)![0]);
  const covers = (h: string) => {
    const host = h.replace(/^\[|\]$/g, "");
    return isIP(host) ? leaf.checkIP(host) : leaf.checkHost(host);
  };
  const uncovered = [appUrl.hostname, ...aliases].filter((h) => !covers(h));
  const fix = `pulumi config set tlsCertificate -- "$(cat fullchain.pem)" --stack ${r.stack} with a certificate for ${uncovered.join(", ")}`;
  const names = `(it is for ${leaf.subjectAltName ?? leaf.subject})`;
  if (uncovered[0] === appUrl.hostname) {
    r.reportWithFix("tlsCertificate", `does not cover appUrl's host "${appUrl.hostname.replace(/^\[|\]$/g, "")}" ${names}`, fix);
  } else if (uncovered.length > 0) {
    r.reportWithFix("tlsCertificate", `does not cover appHostAliases ${uncovered.map((h) => `"${h}"`).join(", ")} ${names}`, fix);
  }
  const now = Date.now();
  if (now < Date.parse(leaf.validFrom) || now > Date.parse(leaf.validTo)) {
    r.reportWithFix("tlsCertificate", `is not valid now (valid from ${leaf.validFrom} to ${leaf.validTo})`, `pulumi config set tlsCertificate -- "$(cat fullchain.pem)" --stack ${r.stack} with a current certificate`);
  }
  const keyText = r.secretTextForCheck("tlsKey");
  if (keyText === undefined || r.problems.some((p) => p.key === "tlsKey")) return;
  if (!leaf.checkPrivateKey(createPrivateKey(keyText))) {
    r.reportWithFix("tlsKey", "is not the private key of tlsCertificate", `pulumi config set --secret tlsKey -- "$(cat privkey.pem)" --stack ${r.stack} with the certificate's key`);
  }
}
