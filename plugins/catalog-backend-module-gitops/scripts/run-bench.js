#!/usr/bin/env node
/* eslint-disable */
// Runs scripts/bench-catalog.ts from source through the Backstage CLI's node transform.
require('@backstage/cli/config/nodeTransform.cjs');
require('./bench-catalog.ts');
