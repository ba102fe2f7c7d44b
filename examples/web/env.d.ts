// Types for `*.snv2c.json?target=...` imports. In your own project: "types": ["snv2c/client"] in tsconfig.json.
/// <reference path="../../plugin/client.d.ts" />
