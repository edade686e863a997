import { WarningPanel } from '@backstage/core-components';
import Link from '@material-ui/core/Link';
import Typography from '@material-ui/core/Typography';
import {
  InstanceResult,
  shortRevision,
} from '@epicshelter/plugin-argocd-common';

/** Short commit SHA, linked to the commit when the host is known. */
export const Revision = ({
  revision,
  url,
}: {
  revision?: string;
  url?: string;
}) => {
  if (!revision) return <>–</>;
  const short = shortRevision(revision);
  return url ? (
    <Link href={url} target="_blank" rel="noopener" title={revision}>
      <code>{short}</code>
    </Link>
  ) : (
    <code title={revision}>{short}</code>
  );
};

/** "3 minutes ago"-style relative time, with the exact time as tooltip. */
export const When = ({ at }: { at?: string }) => {
  if (!at) return <>–</>;
  const ms = Date.now() - Date.parse(at);
  const abs = Math.abs(ms);
  const units: Array<[number, string]> = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
  ];
  const [size, unit] = units.find(([s]) => abs >= s) ?? [1000, 'second'];
  const n = Math.max(1, Math.round(abs / size));
  const text = `${n} ${unit}${n === 1 ? '' : 's'} ${
    ms >= 0 ? 'ago' : 'from now'
  }`;
  return <span title={new Date(at).toLocaleString()}>{text}</span>;
};

/** The banner shown whenever data comes from the fake (sandbox) Argo CD. */
export const SandboxBanner = () => (
  <WarningPanel
    severity="info"
    title="Sandbox data"
    message="These Argo CD applications come from the sandbox (fake) Argo CD used for local development and demos, not from a real cluster."
  />
);

/** One warning per instance that failed, saying the others still work. */
export const InstanceErrors = ({
  instances,
}: {
  instances: InstanceResult[];
}) => {
  const failed = instances.filter(i => i.status === 'error');
  if (failed.length === 0) return null;
  const ok = instances.filter(i => i.status === 'ok').map(i => i.name);
  return (
    <>
      {failed.map(i => (
        <WarningPanel
          key={i.name}
          severity="warning"
          title={`Argo CD instance "${i.name}" could not be queried`}
          message={
            <Typography variant="body2">
              {i.error?.message}.{' '}
              {ok.length > 0
                ? `Applications from ${ok
                    .map(n => `"${n}"`)
                    .join(', ')} are still shown.`
                : 'No other instance answered.'}{' '}
              Ask the platform team to check the instance, or retry later.
            </Typography>
          }
        />
      ))}
    </>
  );
};
