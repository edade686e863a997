import { useSearchParams } from 'react-router-dom';
import {
  ButtonIcon,
  Header,
  HeaderMetadataItem,
  HeaderMetadataStatus,
  HeaderMetadataStatusProps,
  HeaderMetadataUsers,
  Link,
} from '@backstage/ui';
import {
  Entity,
  RELATION_OWNED_BY,
  RELATION_PART_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useRouteRefParams } from '@backstage/core-plugin-api';
import {
  EntityDisplayName,
  entityRouteRef,
  getEntityRelations,
  useAsyncEntity,
  useEntityPresentation,
  useEntityRefLink,
  useStarredEntity,
} from '@backstage/plugin-catalog-react';
import { RiSearchEyeLine, RiStarFill, RiStarLine } from '@remixicon/react';
import type { EnvironmentStatusLevel } from '@epicshelter/plugin-environments-common';
import { useEnvironmentStatus } from './useEnvironmentStatus';

/** The colour of each verdict in the header's status dot. */
const VERDICT_COLOR: Record<
  EnvironmentStatusLevel,
  HeaderMetadataStatusProps['color']
> = {
  Healthy: 'success',
  Progressing: 'info',
  OutOfSync: 'warning',
  Unknown: 'warning',
  Degraded: 'danger',
  Failed: 'danger',
};

/**
 * The environment's one verdict as a header status, with its reason beside
 * it (the same verdict as its Status card, the Environments page and the
 * promotion matrix).
 * @public
 */
export function EnvironmentHeaderVerdict(props: { entity: Entity }) {
  const { value, loading, error } = useEnvironmentStatus(props.entity);
  if (loading) {
    return <span data-testid="environment-header-verdict">loading…</span>;
  }
  if (error || !value) {
    return (
      <span
        data-testid="environment-header-verdict"
        data-status="Unknown"
        title={error?.message}
      >
        <HeaderMetadataStatus label="Unknown" color="warning" />
      </span>
    );
  }
  const { status, reason } = value.status;
  return (
    <span
      data-testid="environment-header-verdict"
      data-status={status}
      title={reason}
      style={{ display: 'inline-flex', gap: 8, alignItems: 'baseline' }}
    >
      <HeaderMetadataStatus label={status} color={VERDICT_COLOR[status]} />
      <span>{reason}</span>
    </span>
  );
}

/** Links to the entities a relation points at (owner, system). */
function RelationLinks(props: { entity: Entity; relation: string }) {
  const entityLink = useEntityRefLink();
  const refs = getEntityRelations(props.entity, props.relation);
  return (
    <>
      {refs.map((ref, index) => (
        <span key={stringifyEntityRef(ref)}>
          {index > 0 ? ', ' : null}
          <Link href={entityLink(ref)} standalone>
            <EntityDisplayName entityRef={ref} />
          </Link>
        </span>
      ))}
    </>
  );
}

function FavoriteButton(props: { entity: Entity }) {
  const { isStarredEntity, toggleStarredEntity } = useStarredEntity(
    props.entity,
  );
  return (
    <ButtonIcon
      variant="secondary"
      aria-label={
        isStarredEntity ? 'Remove from favorites' : 'Add to favorites'
      }
      icon={isStarredEntity ? <RiStarFill /> : <RiStarLine />}
      onPress={() => toggleStarredEntity()}
    />
  );
}

/** Opens the catalog's "Inspect entity" dialog (the entity page reads `?inspect`). */
function InspectButton() {
  const [, setSearchParams] = useSearchParams();
  return (
    <ButtonIcon
      variant="secondary"
      aria-label="Inspect entity"
      icon={<RiSearchEyeLine />}
      onPress={() =>
        setSearchParams(params => {
          const next = new URLSearchParams(params);
          next.set('inspect', 'overview');
          return next;
        })
      }
    />
  );
}

/** What the entity page passes to a header layout. */
export interface EnvironmentEntityHeaderProps {
  tabs: Array<
    | { id: string; label: string; href: string }
    | {
        id: string;
        label: string;
        items: Array<{ id: string; label: string; href: string }>;
      }
  >;
  activeTabId?: string;
}

/**
 * The header of an environment's entity page: its title, kind and type,
 * owner and System as links, its one verdict with the reason, and the tabs.
 * @public
 */
export function EnvironmentEntityHeader(props: EnvironmentEntityHeaderProps) {
  const { entity } = useAsyncEntity();
  const routeParams = useRouteRefParams(entityRouteRef);
  const presentation = useEntityPresentation(entity ?? routeParams);
  const metadata: HeaderMetadataItem[] = [];
  if (entity) {
    metadata.push({
      label: 'Status',
      value: <EnvironmentHeaderVerdict entity={entity} />,
    });
    const owners = getEntityRelations(entity, RELATION_OWNED_BY);
    if (owners.length > 0) {
      metadata.push({
        label: 'Owner',
        value: <OwnerUsers entity={entity} />,
      });
    }
    if (getEntityRelations(entity, RELATION_PART_OF).length > 0) {
      metadata.push({
        label: 'System',
        value: <RelationLinks entity={entity} relation={RELATION_PART_OF} />,
      });
    }
  }
  const type = entity?.spec?.type?.toString();
  return (
    <Header
      title={presentation.primaryTitle}
      tags={[
        { label: entity?.kind ?? routeParams.kind },
        ...(type ? [{ label: type }] : []),
      ]}
      metadata={metadata}
      tabs={entity ? props.tabs : undefined}
      activeTabId={props.activeTabId}
      customActions={
        entity ? (
          <>
            <FavoriteButton entity={entity} />
            <InspectButton />
          </>
        ) : undefined
      }
    />
  );
}

/** The owners as the catalog header shows them: avatars with names, linked. */
function OwnerUsers(props: { entity: Entity }) {
  const entityLink = useEntityRefLink();
  const users = getEntityRelations(props.entity, RELATION_OWNED_BY).map(
    ref => ({ name: ref.name, href: entityLink(ref) }),
  );
  return <HeaderMetadataUsers users={users} />;
}
