/**
 * The report page's style sheet, inlined by the writer. System fonts only (no web font to
 * fetch); colours chosen so the fates of messages and outcomes of operations differ in hue and
 * in lightness, for readers who do not tell red from green.
 */
export const PAGE_CSS = `
:root { font: 13px/1.4 system-ui, sans-serif; color: #1d2330; background: #fafbfc; }
body { margin: 0; }
header { padding: 10px 16px; border-bottom: 1px solid #d9dde4; background: #fff; }
h1 { font-size: 16px; margin: 0 0 4px; }
h2 { font-size: 13px; margin: 12px 16px 4px; text-transform: uppercase; letter-spacing: .04em;
  color: #566; }
.verdict-invalid { color: #b3261e; } .verdict-valid { color: #1b7f3b; }
.verdict-unknown { color: #8a6d00; }
.warn { background: #fff4d6; border: 1px solid #e6c36a; padding: 6px 10px; margin: 8px 16px; }
.cmd { display: flex; gap: 6px; align-items: center; margin: 2px 0; }
.cmd code { background: #eef1f5; padding: 2px 6px; border-radius: 3px; overflow-x: auto;
  white-space: nowrap; max-width: 80vw; }
button { font: inherit; padding: 1px 8px; cursor: pointer; }
.view { position: relative; margin: 0 16px; border: 1px solid #d9dde4; background: #fff; }
.view canvas { display: block; width: 100%; cursor: grab; }
.toolbar { margin: 4px 16px; display: flex; gap: 8px; align-items: center; color: #566; }
table { border-collapse: collapse; margin: 0 16px; }
td, th { border-bottom: 1px solid #e3e6eb; padding: 3px 8px; text-align: left;
  vertical-align: top; }
tr.finding { cursor: pointer; } tr.finding:hover { background: #eef4ff; }
.v-violation { color: #b3261e; font-weight: 600; } .v-ok { color: #1b7f3b; }
.v-unknown { color: #8a6d00; }
#tip { position: fixed; pointer-events: none; background: #1d2330; color: #fff; padding: 4px 8px;
  border-radius: 3px; font-size: 12px; max-width: 420px; display: none; z-index: 2; }
#detail { margin: 4px 16px; white-space: pre-wrap; font: 12px ui-monospace, monospace;
  background: #f1f3f6; padding: 6px 10px; min-height: 1.4em; word-break: break-all; }
.legend span { margin-right: 12px; } .sw { display: inline-block; width: 10px; height: 10px;
  margin-right: 4px; vertical-align: -1px; }
#metric-charts { display: flex; flex-wrap: wrap; gap: 10px 18px; margin: 4px 16px 10px; }
.chart { background: #fff; border: 1px solid #d9dde4; padding: 4px 6px; }
.chart canvas { display: block; width: 100%; }
.chart-caption { font-size: 11px; color: #566; margin-bottom: 2px; }
`;
