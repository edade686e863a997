import type {
  ChangeProvenance,
  CheckpointFn,
} from '@epicshelter/plugin-gitops-node';

export type {
  ChangeFile,
  ChangeGuard,
  ChangeProvenance,
  CheckpointFn,
  PublishRequest,
  PullRequestOptions,
} from '@epicshelter/plugin-gitops-node';

/** A checkpoint function that simply runs the side effect. @public */
export const runWithoutCheckpoint: CheckpointFn = (_key, fn) => fn();

/** `Requested-by:` and `Scaffolder-Task:` trailers of a change. @public */
export function provenanceTrailers(provenance?: ChangeProvenance): string[] {
  const trailers: string[] = [];
  const who = provenance?.requester;
  if (who) {
    trailers.push(
      `Requested-by: ${
        who.email
          ? `${who.name ?? who.ref} <${who.email}>`
          : who.name ?? who.ref
      }`,
    );
  }
  if (provenance?.taskId) {
    trailers.push(`Scaffolder-Task: ${provenance.taskId}`);
  }
  return trailers;
}

/** Trailer that marks commits made by this module, keyed by branch. @public */
export function changeTrailer(branch: string): string {
  return `Epicshelter-Change: ${branch}`;
}

/** Whether a commit message carries our trailer for a branch. @public */
export function hasChangeTrailer(message: string, branch: string): boolean {
  return message
    .split('\n')
    .some(line => line.trim() === changeTrailer(branch));
}

/** Full commit message: subject/body plus our trailers. @public */
export function commitMessageWithTrailer(
  message: string,
  branch: string,
  provenance?: ChangeProvenance,
): string {
  return `${message.trimEnd()}\n\n${[
    ...provenanceTrailers(provenance),
    changeTrailer(branch),
  ].join('\n')}\n`;
}
