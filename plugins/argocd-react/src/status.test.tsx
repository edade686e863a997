import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { ArgoCdHealthStatus, ArgoCdSyncStatus } from './status';

async function statusOf(element: JSX.Element) {
  await renderInTestApp(<div data-testid="subject">{element}</div>);
  const subject = screen.getByTestId('subject');
  // core-components statuses render an aria-labelled icon next to the text.
  const label = subject.querySelector('[aria-label]');
  // a status never breaks inside its word
  expect((subject.firstChild as HTMLElement).style.whiteSpace).toBe('nowrap');
  return {
    text: subject.textContent,
    kind: label?.getAttribute('aria-label'),
  };
}

describe('Argo CD statuses', () => {
  it.each([
    ['Synced', 'Status ok'],
    ['OutOfSync', 'Status warning'],
    ['Unknown', 'Status aborted'],
  ])('shows sync %s as %s', async (status, kind) => {
    expect(await statusOf(<ArgoCdSyncStatus status={status} />)).toEqual({
      text: status,
      kind,
    });
  });

  it.each([
    ['Healthy', 'Status ok'],
    ['Progressing', 'Status running'],
    ['Degraded', 'Status error'],
    ['Suspended', 'Status pending'],
    ['Missing', 'Status warning'],
    ['Unknown', 'Status aborted'],
  ])('shows health %s as %s', async (status, kind) => {
    expect(await statusOf(<ArgoCdHealthStatus status={status} />)).toEqual({
      text: status,
      kind,
    });
  });

  it.each([
    ['sync without a status', <ArgoCdSyncStatus />],
    ['health with an empty status', <ArgoCdHealthStatus status="" />],
  ])('says unknown for %s', async (_what, element) => {
    expect(await statusOf(element)).toEqual({
      text: 'unknown',
      kind: 'Status aborted',
    });
  });
});
