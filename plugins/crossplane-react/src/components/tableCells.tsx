import { Fragment } from 'react';
import { messageStyle } from './status';

/**
 * The tables of the Crossplane view use `tableLayout: 'fixed'`: every column
 * but the free-text one has an explicit width, and the free-text column
 * (Message, Details) takes what is left, so the table never grows past its
 * container however long a name or message is.
 */
export const FIXED_TABLE_OPTIONS = {
  tableLayout: 'fixed',
  padding: 'dense',
  paging: false,
} as const;

/** Cell padding of the fixed tables: 8 px a side (MUI's dense cell has 16 + 24). */
const CELL_PADDING = '6px 8px';

/** A column of `width` px (padding included) with compact padding. */
export function fixedColumn(width: number) {
  return {
    width: `${width}px`,
    cellStyle: { padding: CELL_PADDING },
    headerStyle: { padding: CELL_PADDING },
  } as const;
}

/**
 * A fixed column whose cells keep their lines whole: status labels that end
 * in an ellipsis where they are wider (their title holds the full text).
 */
export function oneLineColumn(width: number) {
  const column = fixedColumn(width);
  return {
    ...column,
    cellStyle: { ...column.cellStyle, whiteSpace: 'nowrap' },
  } as const;
}

/** The free-text column: the rest of the width, line breaks kept, wraps between words. */
export const FREE_TEXT_COLUMN = {
  cellStyle: { ...messageStyle, padding: CELL_PADDING },
  headerStyle: { padding: CELL_PADDING },
} as const;

/** Clipped to its column with an ellipsis (the full text is the title). */
const clipped = {
  display: 'block',
  overflow: 'hidden',
  textOverflow: 'ellipsis',
} as const;

/**
 * Where an identifier may break between lines: after `-`, `.`, `/`, `_`
 * and `:`, and between the words of a CamelCase kind
 * (`ClusterProviderConfig` → Cluster|Provider|Config, `SQLInstance` →
 * SQL|Instance; a one-letter prefix stays: `XObjectStorage` →
 * XObject|Storage). Never inside a word.
 */
export function identifierParts(text: string): string[] {
  return text
    .split(/(?<=[-./_:])|(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z]{2})(?=[A-Z][a-z])/)
    .filter(Boolean);
}

/** `parts` with a line break opportunity (`<wbr>`) between each two. */
function withBreaks(parts: string[]) {
  return parts.map((part, i) => (
    <Fragment key={i}>
      {i > 0 && <wbr />}
      {part}
    </Fragment>
  ));
}

/**
 * Where a message may break besides its spaces and hyphens: inside dotted,
 * slashed or `key=value` tokens (`ClusterProviderConfig.azure.m.upbound.io`,
 * URLs), after the separator and before a letter, so such a token wraps
 * at its own boundaries rather than mid-word.
 */
export function messageParts(text: string): string[] {
  return text.split(/(?<=\S[./:=_])(?=[A-Za-z])/);
}

/** A message in a table cell, wrapping at the breaks of {@link messageParts}. */
export function MessageText(props: { text: string }) {
  return <>{withBreaks(messageParts(props.text))}</>;
}

/**
 * A kind, name, namespace or file name: whole words only, wrapping at the
 * breaks of {@link identifierParts}; a single part wider than the column
 * ends in an ellipsis, the full text on hover.
 */
export function Identifier(props: {
  text: string;
  /** The hover text, when more than the text (e.g. a file's path). */
  title?: string;
}) {
  return (
    <span
      title={props.title ?? props.text}
      style={{ ...clipped, whiteSpace: 'normal' }}
    >
      {withBreaks(identifierParts(props.text))}
    </span>
  );
}
