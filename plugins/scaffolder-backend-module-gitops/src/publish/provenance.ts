import type { Config } from '@backstage/config';
import { stringifyEntityRef, type UserEntity } from '@backstage/catalog-model';
import type { ChangeProvenance } from './types';

/** A git identity. */
export type GitIdentity = { name: string; email: string };

/**
 * Who asked for a change, from the task's user (its catalog profile), and
 * the task id.
 */
export function provenanceOf(
  user: { entity?: UserEntity; ref?: string } | undefined,
  taskId: string | undefined,
): ChangeProvenance {
  const entity = user?.entity;
  const ref = user?.ref ?? (entity ? stringifyEntityRef(entity) : undefined);
  const profile = entity?.spec?.profile;
  return {
    requester: ref
      ? {
          ref,
          name: profile?.displayName ?? entity?.metadata.name,
          email: profile?.email,
        }
      : undefined,
    taskId,
  };
}

/** The requester as commit author, when its profile has an e-mail address. */
export function authorOf(
  provenance: ChangeProvenance,
): GitIdentity | undefined {
  const who = provenance.requester;
  return who?.email
    ? { name: who.name ?? who.ref, email: who.email }
    : undefined;
}

/** `scaffolder.defaultAuthor` (name and e-mail), the committer of every change. */
export function defaultAuthorOf(config: Config): GitIdentity | undefined {
  const name = config.getOptionalString('scaffolder.defaultAuthor.name');
  const email = config.getOptionalString('scaffolder.defaultAuthor.email');
  return name && email ? { name, email } : undefined;
}

/** One Markdown line naming who asked and the task, for a pull request body. */
export function provenanceLine(
  provenance: ChangeProvenance,
): string | undefined {
  const who = provenance.requester;
  if (!who && !provenance.taskId) return undefined;
  const person = who
    ? `${who.name ?? who.ref}${who.email ? ` <${who.email}>` : ''} (\`${
        who.ref
      }\`)`
    : 'an unknown user';
  return `Requested by ${person}${
    provenance.taskId ? ` in scaffolder task \`${provenance.taskId}\`` : ''
  }.`;
}
