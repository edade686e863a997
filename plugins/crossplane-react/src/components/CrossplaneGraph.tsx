import {
  DependencyGraph,
  DependencyGraphTypes,
} from '@backstage/core-components';
import { makeStyles } from '@material-ui/core/styles';
import { Ref, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type {
  CrossplaneClusterResult,
  CrossplaneHealth,
  CrossplaneNode,
} from '@epicshelter/plugin-crossplane-common';
import {
  HEALTH_LABELS,
  ROLE_LABELS,
  healthText,
  nodeBadges,
  statusOf,
} from './status';

const useStyles = makeStyles(theme => ({
  node: { cursor: 'pointer' },
  box: {
    fill: theme.palette.background.paper,
    stroke: theme.palette.divider,
    strokeWidth: 1,
  },
  unknown: { strokeDasharray: '6 4' },
  kind: {
    fill: theme.palette.text.secondary,
    fontSize: theme.typography.caption.fontSize,
  },
  name: {
    fill: theme.palette.text.primary,
    fontSize: theme.typography.body2.fontSize,
    fontWeight: theme.typography.fontWeightMedium as number,
  },
  badge: {
    fill: theme.palette.text.primary,
    fontSize: theme.typography.caption.fontSize,
  },
  ok: { fill: theme.palette.success?.main ?? '#2e7d32' },
  bad: { fill: theme.palette.error.main },
  pending: { fill: theme.palette.grey[500] },
  reason: { fontSize: theme.typography.caption.fontSize },
  failing: { stroke: theme.palette.error.main, strokeWidth: 2 },
  progressing: { stroke: theme.palette.info.main, strokeWidth: 2 },
  deleting: { stroke: theme.palette.warning.main, strokeWidth: 2 },
  paused: { stroke: theme.palette.grey[600], strokeWidth: 2 },
  reasonFailing: { fill: theme.palette.error.main },
  reasonProgressing: { fill: theme.palette.info.main },
  reasonDeleting: { fill: theme.palette.warning.dark },
  reasonPaused: { fill: theme.palette.text.secondary },
  reasonUnknown: { fill: theme.palette.text.secondary },
}));

type GraphNode = DependencyGraphTypes.DependencyNode<{
  node: CrossplaneNode;
  onSelect: (n: CrossplaneNode) => void;
}>;

/** Geometry of a node box, in CSS pixels (the graph is never scaled up). */
const NODE_LAYOUT = {
  padding: 10,
  minWidth: 160,
  height: 66,
  /** Height of a node that shows its state and reason on a fourth line. */
  heightWithReason: 84,
  kindY: 20,
  nameY: 38,
  badgeY: 56,
  reasonY: 75,
  badgeGap: 12,
  /** Width per character before the text is measured (and in jsdom). */
  charWidth: 7,
} as const;

const estimate = (text: string) => text.length * NODE_LAYOUT.charWidth;

/** Cuts a text to about `width` pixels, with an ellipsis. */
function clip(text: string, width: number): string {
  const max = Math.max(8, Math.floor(width / NODE_LAYOUT.charWidth));
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Rendered width of an SVG element, or undefined where there is no layout. */
function measure(el: SVGGraphicsElement | null): number | undefined {
  if (!el || typeof el.getBBox !== 'function') return undefined;
  const width = el.getBBox().width;
  return width > 0 ? Math.ceil(width) : undefined;
}

function Badge(props: {
  x: number;
  label: string;
  value: string;
  textRef?: Ref<SVGTextElement>;
}) {
  const classes = useStyles();
  const byValue: Record<string, string> = {
    True: classes.ok,
    False: classes.bad,
  };
  const cls = byValue[props.value] ?? classes.pending;
  return (
    <g transform={`translate(${props.x}, ${NODE_LAYOUT.badgeY})`}>
      <circle r={4} cx={4} cy={-4} className={cls} />
      <text x={12} className={classes.badge} ref={props.textRef}>
        {props.label}
      </text>
    </g>
  );
}

function NodeBox({
  node: graphNode,
}: DependencyGraphTypes.RenderNodeProps<GraphNode>) {
  const classes = useStyles();
  const { node, onSelect } = graphNode;
  const status = statusOf(node);
  const kindText = `${node.kind} · ${ROLE_LABELS[node.role] ?? node.role}`;
  const badges = nodeBadges(node).map(b => ({
    ...b,
    text: `${b.label} ${b.value}`,
  }));
  const badgeKey = badges.map(b => b.text).join('|');
  const kindRef = useRef<SVGTextElement>(null);
  const nameRef = useRef<SVGTextElement>(null);
  const badgeRefs = useRef<Array<SVGTextElement | null>>([]);
  const [measured, setMeasured] = useState<{
    text: number;
    badges: number[];
  }>();
  useLayoutEffect(() => {
    const kind = measure(kindRef.current);
    const name = measure(nameRef.current);
    const widths = badges.map((_b, i) => measure(badgeRefs.current[i]));
    if (!kind || !name || widths.some(w => !w)) return;
    const next = { text: Math.max(kind, name), badges: widths as number[] };
    setMeasured(prev =>
      prev &&
      prev.text === next.text &&
      prev.badges.join() === next.badges.join()
        ? prev
        : next,
    );
    // badges are derived from badgeKey
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [kindText, node.name, badgeKey]);
  const { padding, badgeGap } = NODE_LAYOUT;
  const text =
    measured?.text ??
    Math.max(estimate(kindText), estimate(node.name) + node.name.length);
  // Each badge: 12px dot and gap before its label, then a gap.
  const badgeX: number[] = [];
  let badgesEnd = padding;
  badges.forEach((b, i) => {
    if (i > 0) badgesEnd += badgeGap;
    badgeX.push(badgesEnd);
    badgesEnd += 12 + (measured?.badges[i] ?? estimate(b.text));
  });
  const width = Math.max(
    NODE_LAYOUT.minWidth,
    padding * 2 + text,
    badgesEnd + padding,
  );
  // Unhealthy nodes say what is going on without a click: state and
  // reason on a fourth line (cut to the box, the full message on hover).
  const showReason = status.health !== 'healthy' && node.role !== 'secret';
  const reasonText = showReason
    ? clip(healthText(status.health, status.reason), width - padding * 2)
    : '';
  const outline: Partial<Record<CrossplaneHealth, string>> = {
    failing: classes.failing,
    progressing: classes.progressing,
    deleting: classes.deleting,
    paused: classes.paused,
  };
  const reasonClass: Partial<Record<CrossplaneHealth, string>> = {
    failing: classes.reasonFailing,
    progressing: classes.reasonProgressing,
    deleting: classes.reasonDeleting,
    paused: classes.reasonPaused,
    unknown: classes.reasonUnknown,
  };
  return (
    <g
      className={classes.node}
      role="button"
      aria-label={`${node.kind} ${node.name} ${HEALTH_LABELS[status.health]}${
        status.reason ? ` (${status.reason})` : ''
      }${badges.map(b => ` ${b.text}`).join('')}`}
      data-testid={`crossplane-node-${node.kind}-${node.name}`}
      onClick={() => onSelect(node)}
    >
      <title>
        {[`${node.kind} ${node.name}`, status.message ?? node.problem]
          .filter(Boolean)
          .join('\n')}
      </title>
      <rect
        width={width}
        height={showReason ? NODE_LAYOUT.heightWithReason : NODE_LAYOUT.height}
        rx={4}
        className={[
          classes.box,
          node.role === 'unknown' ||
          node.role === 'missing' ||
          node.role === 'secret'
            ? classes.unknown
            : '',
          outline[status.health] ?? '',
        ].join(' ')}
      />
      <text
        x={padding}
        y={NODE_LAYOUT.kindY}
        className={classes.kind}
        ref={kindRef}
      >
        {kindText}
      </text>
      <text
        x={padding}
        y={NODE_LAYOUT.nameY}
        className={classes.name}
        ref={nameRef}
      >
        {node.name}
      </text>
      {badges.map((b, i) => (
        <Badge
          key={b.label}
          x={badgeX[i]}
          label={b.text}
          value={b.value}
          textRef={el => {
            badgeRefs.current[i] = el;
          }}
        />
      ))}
      {showReason && (
        <text
          x={padding}
          y={NODE_LAYOUT.reasonY}
          className={`${classes.reason} ${reasonClass[status.health] ?? ''}`}
          data-testid="crossplane-node-reason"
        >
          {reasonText}
        </text>
      )}
    </g>
  );
}

/**
 * Height the graph takes on the page. DependencyGraph's "grow" fit gives its
 * SVG the graph's natural height even when the graph is wider than the page
 * and drawn smaller, which leaves an empty band below it as tall as the
 * shrinkage; this is the height the drawing really needs (undefined until
 * measured, or where there is no layout).
 */
function useDrawnHeight(root: HTMLElement | null): number | undefined {
  const [height, setHeight] = useState<number>();
  useEffect(() => {
    if (!root || typeof ResizeObserver === 'undefined') return undefined;
    const update = () => {
      const svg = root.querySelector<SVGSVGElement>('svg#dependency-graph');
      const box = svg?.viewBox?.baseVal;
      if (!svg || !box || box.width <= 0 || box.height <= 0) return;
      const scale = Math.min(1, svg.clientWidth / box.width);
      setHeight(Math.ceil(box.height * scale));
    };
    const resized = new ResizeObserver(update);
    resized.observe(root);
    const changed = new MutationObserver(update);
    changed.observe(root, {
      subtree: true,
      attributes: true,
      attributeFilter: ['viewBox'],
    });
    update();
    return () => {
      resized.disconnect();
      changed.disconnect();
    };
  }, [root]);
  return height;
}

/** Claim/XR → composed resources graph of one cluster, laid out by dagre. */
export function CrossplaneGraph(props: {
  result: CrossplaneClusterResult;
  onSelect: (node: CrossplaneNode) => void;
}) {
  const [root, setRoot] = useState<HTMLDivElement | null>(null);
  const height = useDrawnHeight(root);
  const nodes: GraphNode[] = props.result.nodes.map(n => ({
    id: n.id,
    node: n,
    onSelect: props.onSelect,
  }));
  return (
    <div
      ref={setRoot}
      data-testid="crossplane-graph"
      style={height ? { height, overflow: 'hidden' } : undefined}
    >
      <DependencyGraph<GraphNode, {}>
        nodes={nodes}
        edges={props.result.edges}
        renderNode={NodeBox}
        direction={DependencyGraphTypes.Direction.LEFT_RIGHT}
        rankMargin={80}
        nodeMargin={24}
        zoom="enable-on-click"
        // "grow" never scales the graph above its natural size, so node text
        // stays at the page's font size; a graph wider than the page shrinks.
        fit="grow"
        preserveAspectRatio="xMinYMin meet"
      />
    </div>
  );
}
