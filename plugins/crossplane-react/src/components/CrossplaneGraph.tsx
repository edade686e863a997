import {
  DependencyGraph,
  DependencyGraphTypes,
} from '@backstage/core-components';
import { makeStyles } from '@material-ui/core/styles';
import type {
  CrossplaneClusterResult,
  CrossplaneNode,
} from '@epicshelter/plugin-crossplane-common';

const useStyles = makeStyles(theme => ({
  node: { cursor: 'pointer' },
  box: {
    fill: theme.palette.background.paper,
    stroke: theme.palette.divider,
    strokeWidth: 1.5,
  },
  unknown: { strokeDasharray: '6 4' },
  kind: { fill: theme.palette.text.secondary, fontSize: 11 },
  name: { fill: theme.palette.text.primary, fontSize: 13, fontWeight: 500 },
  ok: { fill: theme.palette.success?.main ?? '#2e7d32' },
  bad: { fill: theme.palette.error.main },
  pending: { fill: theme.palette.grey[500] },
}));

type GraphNode = DependencyGraphTypes.DependencyNode<{
  node: CrossplaneNode;
  onSelect: (n: CrossplaneNode) => void;
}>;

function Badge(props: { x: number; label: string; value: string }) {
  const classes = useStyles();
  const byValue: Record<string, string> = {
    True: classes.ok,
    False: classes.bad,
  };
  const cls = byValue[props.value] ?? classes.pending;
  return (
    <g transform={`translate(${props.x}, 46)`}>
      <circle r={5} cx={5} cy={-4} className={cls} />
      <text x={14} className={classes.kind}>
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
  const width = Math.max(180, node.name.length * 7.5 + 24);
  return (
    <g
      className={classes.node}
      role="button"
      aria-label={`${node.kind} ${node.name} Ready ${node.ready} Synced ${node.synced}`}
      data-testid={`crossplane-node-${node.kind}-${node.name}`}
      onClick={() => onSelect(node)}
    >
      <rect
        width={width}
        height={58}
        rx={6}
        className={`${classes.box} ${
          node.role === 'unknown' || node.role === 'missing'
            ? classes.unknown
            : ''
        }`}
      />
      <text x={12} y={18} className={classes.kind}>
        {node.kind} · {node.role}
      </text>
      <text x={12} y={34} className={classes.name}>
        {node.name}
      </text>
      <Badge x={12} label={`Ready ${node.ready}`} value={node.ready} />
      <Badge x={100} label={`Synced ${node.synced}`} value={node.synced} />
    </g>
  );
}

/** Claim/XR → composed resources graph of one cluster, laid out by dagre. */
export function CrossplaneGraph(props: {
  result: CrossplaneClusterResult;
  onSelect: (node: CrossplaneNode) => void;
}) {
  const nodes: GraphNode[] = props.result.nodes.map(n => ({
    id: n.id,
    node: n,
    onSelect: props.onSelect,
  }));
  return (
    <DependencyGraph<GraphNode, {}>
      nodes={nodes}
      edges={props.result.edges}
      renderNode={NodeBox}
      direction={DependencyGraphTypes.Direction.LEFT_RIGHT}
      rankMargin={80}
      nodeMargin={24}
      zoom="enable-on-click"
      fit="contain"
    />
  );
}
