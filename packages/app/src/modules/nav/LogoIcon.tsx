import { makeStyles } from '@material-ui/core';

const useStyles = makeStyles({
  svg: { width: 'auto', height: 28 },
  shelter: { fill: 'none', stroke: '#7df3e1', strokeWidth: 8 },
});

/** A shelter (roof over a base) shown in the collapsed sidebar. */
export const LogoIcon = () => {
  const classes = useStyles();
  return (
    <svg
      className={classes.svg}
      xmlns="http://www.w3.org/2000/svg"
      viewBox="0 0 100 100"
      aria-label="Epicshelter"
    >
      <path className={classes.shelter} d="M8 50 L50 12 L92 50" />
      <path className={classes.shelter} d="M22 44 V88 H78 V44" />
    </svg>
  );
};
