import { AuthChecker, MiddlewareFn } from "type-graphql";
import type { Context } from "../context";
import { UnauthenticatedError } from "../errors";
import { Role } from "../domain/vocabulary";
import { requireAdmin, requireWriter } from "./viewer";

/**
 * `@Authorized()` marks every mutation: it needs a key that may write (else UNAUTHENTICATED or
 * FORBIDDEN, never type-graphql's own UNAUTHORIZED). Region scope is checked per record in services.
 */
export const authChecker: AuthChecker<Context> = ({ context }, roles) => {
  if (roles.includes(Role.ADMIN) && roles.length === 1) requireAdmin(context.viewer, "do this");
  else requireWriter(context.viewer);
  return true;
};

/** With READ_REQUIRES_AUTH, every root query needs a key too. */
export function readAuthMiddleware(readRequiresAuth: boolean): MiddlewareFn<Context> {
  return ({ context, info }, next) => {
    if (readRequiresAuth && info.parentType.name === "Query" && !context.viewer) {
      throw new UnauthenticatedError("This server requires an API key for reads too: send `Authorization: Bearer TOKEN`.");
    }
    return next();
  };
}
