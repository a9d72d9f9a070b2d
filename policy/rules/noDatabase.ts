import type { ResourceValidationPolicy } from "@pulumi/policy";
import type { PackContext } from "../context";
import { parseImageRef, roleOf, TYPES } from "./docker";

const DATABASE_IMAGES = ["postgres", "mysql", "mariadb"];

/**
 * In prod the database is managed (dbKind=external): no container with role `database`, and no
 * RemoteImage of a postgres, mysql or mariadb image (a database container the label misses).
 *
 * Limits: a database in an image of another name, without the label, is not recognised; the
 * program itself refuses dbKind=container in prod, so this guards later changes.
 */
export function noDatabase(ctx: PackContext): ResourceValidationPolicy {
  return {
    name: "prod-no-database-container",
    description: "In prod the database is managed, never a container of the stack.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
      if (!ctx.prod) args.notApplicable(`stack "${ctx.stack}" is not prod`);
      if (args.type === TYPES.container && roleOf(args.props) === "database") {
        reportViolation(`container "${args.name}" is a database container: prod uses a managed database (dbKind=external)`);
      }
      if (args.type === TYPES.remoteImage) {
        const repository = parseImageRef(args.props.name).repository.split("/").pop()!;
        if (DATABASE_IMAGES.includes(repository)) {
          reportViolation(`RemoteImage "${args.name}" pulls the database image "${args.props.name}": prod uses a managed database`);
        }
      }
    },
  };
}
