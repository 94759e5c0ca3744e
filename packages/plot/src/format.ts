// The display format lives in core so that the sweep's summary.md and the charts print a value alike.
export { formatNumber, formatValue } from '@anneal/core';
